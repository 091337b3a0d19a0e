// The app shell in real Chromium against the release build: it mounts under a strict CSP
// with nothing but our own origin contacted, takes files, and works from a sub-path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, DIST, FIXTURES, appReady, cspViolations, launch, openPage, serve } from './harness.mjs';

let browser;
before(async () => {
  browser = await launch();
  await mkdir(ARTIFACTS, { recursive: true });
});
after(() => browser?.close());

test('the release page mounts under its CSP with no errors and no foreign requests', async () => {
  const server = await serve();
  try {
    const { page, problems, context } = await openPage(browser, server.origin);
    const requested = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname.split('/').pop()));
    // Hold the page's idle callbacks: the first load is what comes before them.
    await page.addInitScript(() => {
      window.__idle = [];
      window.requestIdleCallback = (callback) => window.__idle.push(callback);
    });
    await page.goto(server.url);
    await appReady(page);
    await page.waitForLoadState('networkidle');
    // The first load is the page alone; the parsing worker is started once the page is idle,
    // with no file given, so it is ready (and warm) by the time a person drops one.
    const worker = () => requested.filter((p) => p.startsWith('scanlens-worker')).sort();
    assert.deepEqual(worker(), []);
    assert.ok(await page.evaluate(() => window.__idle.length) >= 1, 'the page asked to be told when idle');
    const fetched = page.waitForRequest((r) => r.url().endsWith('scanlens-worker_bg.wasm'));
    await page.evaluate(() => window.__idle.splice(0).forEach((callback) => callback()));
    await fetched;
    assert.deepEqual(worker(), ['scanlens-worker.js', 'scanlens-worker_bg.wasm', 'scanlens-worker_loader.js']);
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.doesNotMatch(csp, /CSP_INLINE_SCRIPT_HASHES/, 'the post-build hook replaced the placeholder');
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]{44}'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /base-uri 'none'/);
    assert.equal(await page.getByTestId('empty-state').textContent(), 'No files loaded yet.');
    await page.screenshot({ path: join(ARTIFACTS, 'shell-empty.png'), fullPage: true });
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(problems, { console: [], page: [], foreign: [] });
    await context.close();
  } finally {
    await server.close();
  }
});

test('files given to the picker are listed with their name and size', async () => {
  const server = await serve();
  try {
    const { page, problems, context } = await openPage(browser, server.origin);
    await page.goto(server.url);
    await appReady(page);
    const sarif = join(FIXTURES, 'codeql/defectdojo-codeql-2.5.4.sarif');
    const trivy = join(FIXTURES, 'trivy/alpine-310-image.json');
    await page.getByTestId('file-input').setInputFiles([sarif, trivy]);
    const rows = page.getByTestId('file-row');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.equal(await rows.nth(0).locator('.file-name').textContent(), 'defectdojo-codeql-2.5.4.sarif');
    // 576,391 bytes and 20,632 bytes (index.json), shown in binary units.
    assert.equal(await rows.nth(0).getByTestId('file-size').textContent(), '562.9 KB');
    assert.equal(await rows.nth(1).locator('.file-name').textContent(), 'alpine-310-image.json');
    assert.equal(await rows.nth(1).getByTestId('file-size').textContent(), '20.1 KB');
    assert.equal(await page.getByTestId('files-caption').textContent(), '2 files, 583.0 KB');
    assert.equal(await page.getByTestId('empty-state').count(), 0);
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(problems, { console: [], page: [], foreign: [] });
    await context.close();
  } finally {
    await server.close();
  }
});

test('dist/ served from a sub-path (GitHub Pages /scanlens/) mounts the app', async () => {
  const server = await serve(DIST, '/scanlens/');
  try {
    const { page, problems, context } = await openPage(browser, server.origin);
    const notFound = [];
    page.on('response', (r) => { if (r.status() >= 400) notFound.push(r.url()); });
    await page.goto(server.url);
    await appReady(page);
    assert.deepEqual(notFound, []);
    const html = await readFile(join(DIST, 'index.html'), 'utf8');
    assert.doesNotMatch(html, /(src|href)="\/[^/]/, 'no root-absolute asset paths in index.html');
    assert.deepEqual(problems, { console: [], page: [], foreign: [] });
    await context.close();
  } finally {
    await server.close();
  }
});
