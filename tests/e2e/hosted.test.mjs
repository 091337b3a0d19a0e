// Hosted builds in real Chromium: a static site made by `scanlens publish` (the viewer's
// dist/ plus reports/), opened with `?manifest=` (every build, with its trend) and `?src=`
// (single files); another origin is refused by the CSP with a message naming the URL; a
// manifest pointing outside its folder is refused before anything is fetched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  DIST, appReady, cli, cliGate, cspViolations, filesRead, gateOnPage, launch, openPage, reportsOnPage, serve,
} from './harness.mjs';

const DEMO = resolve('public/demo');
const env = {};

before(async () => {
  // The site a CI job would deploy: the viewer, and each build published as it ran.
  env.site = await mkdtemp(join(tmpdir(), 'scanlens-site-'));
  await cp(DIST, env.site, { recursive: true });
  const manifest = JSON.parse(await readFile(join(DEMO, 'index.json'), 'utf8'));
  env.builds = manifest.builds;
  for (const build of manifest.builds) {
    cli(['publish', '--site', env.site, '--policy', 'scanlens.toml', '--title', 'Acme Shop', ...build.artifacts], { text: true, cwd: DEMO });
  }
  env.browser = await launch();
  env.server = await serve(env.site, '/scanlens/');
  env.elsewhere = await serve(env.site, '/');
});

after(async () => {
  await env.browser?.close();
  await env.server?.close();
  await env.elsewhere?.close();
});

test('publish writes one manifest entry per build, in time order, with every file', async () => {
  const index = JSON.parse(await readFile(join(env.site, 'reports/index.json'), 'utf8'));
  assert.equal(index.scanlens_manifest, 1);
  assert.equal(index.title, 'Acme Shop');
  assert.equal(index.policy, 'scanlens.toml');
  assert.deepEqual(index.builds.map((b) => b.id), env.builds.map((b) => b.id));
  for (const [i, b] of index.builds.entries()) {
    assert.equal(b.artifacts.length, env.builds[i].artifacts.length);
    for (const a of b.artifacts) {
      const original = env.builds[i].artifacts.find((o) => o.endsWith('/' + a.split('/').pop()));
      assert.deepEqual(await readFile(join(env.site, 'reports', a)), await readFile(join(DEMO, original)), a);
    }
  }
});

test('?manifest= opens every published build with its trend and the CLI\'s gate', async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url + '?manifest=reports/index.json');
  await appReady(page);
  const files = 1 + env.builds.reduce((n, b) => n + b.artifacts.length, 0);
  await filesRead(page, files);
  await page.waitForFunction(() => document.querySelector('[data-testid=gate-build]')?.textContent.includes('latest of 6'));
  const latest = env.builds.at(-1).artifacts;
  const expected = cliGate(['--policy', join(DEMO, 'scanlens.toml'), ...latest.map((a) => join(DEMO, a))]);
  const gate = await gateOnPage(page);
  assert.equal(gate.passed, expected.passed);
  assert.equal(gate.failing, expected.failing.length);
  assert.equal(gate.entries, expected.entries);
  assert.equal(await page.locator('[data-testid=trends] table tbody tr').count(), 6);
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
  assert.deepEqual(await cspViolations(page), []);
  await context.close();
});

test('?src= loads each file named, with the CLI\'s numbers', async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url + '?src=reports/106/trivy-api.json&src=reports/106/grype-api.json');
  await appReady(page);
  await filesRead(page, 2);
  const reports = await reportsOnPage(page);
  assert.deepEqual(reports.map((r) => r.name), ['scanlens/reports/106/trivy-api.json', 'scanlens/reports/106/grype-api.json']);
  const summary = cli(['summary', '--json', join(env.site, 'reports/106/trivy-api.json'), join(env.site, 'reports/106/grype-api.json')]);
  for (const [i, r] of reports.entries()) {
    assert.equal(r.findings, summary.files[i].findings);
    assert.equal(r.sha256, summary.files[i].sha256);
  }
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
  await context.close();
});

test('another origin is refused by the CSP and named in the message', async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  const foreign = `${env.elsewhere.origin}/reports/106/trivy-api.json`;
  await page.goto(env.server.url + '?src=' + encodeURIComponent(foreign));
  await appReady(page);
  const note = page.getByTestId('failed');
  await note.waitFor();
  const text = await note.textContent();
  assert.ok(text.startsWith(`${foreign}: could not be fetched`), text);
  assert.match(text, /Only this site's own origin can be read/);
  assert.equal(await page.getByTestId('file-row').count(), 0);
  // The browser refused it: the request never left (a CSP violation, not a response).
  assert.deepEqual((await cspViolations(page)).map((v) => v.split(' ')[0]), ['connect-src']);
  problems.console = problems.console.filter((m) => !m.includes('Content Security Policy') && !m.includes('Failed to fetch'));
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('a manifest pointing outside its folder is refused before anything is fetched', async () => {
  const bad = join(env.site, 'bad');
  await mkdir(bad, { recursive: true });
  await writeFile(join(bad, 'index.json'), JSON.stringify({ scanlens_manifest: 1, builds: [{ id: '1', artifacts: ['../reports/106/trivy-api.json'] }] }));
  const { context, page } = await openPage(env.browser, env.server.origin);
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(env.server.url + '?manifest=bad/index.json');
  await appReady(page);
  await page.getByTestId('failed').waitFor();
  assert.match(await page.getByTestId('failed').textContent(), /bad\/index\.json: artifact path "\.\.\/reports\/106\/trivy-api\.json" is not a plain relative path/);
  assert.ok(!requests.some((p) => p.includes('trivy-api.json')), requests.join(' '));
  await context.close();
});

test('a deployer can allow other https origins at build time, and only https origins', async () => {
  const staging = await mkdtemp(join(tmpdir(), 'scanlens-csp-'));
  const run = (origins) => {
    execFileSync('node', ['scripts/csp-hash.mjs'], { env: { ...process.env, TRUNK_STAGING_DIR: staging, SCANLENS_CONNECT_SRC: origins }, stdio: 'pipe' });
    return readFile(join(staging, 'index.html'), 'utf8');
  };
  await cp('index.html', join(staging, 'index.html'));
  assert.match(await run('https://reports.example.com https://ci.example:8443'), /connect-src 'self' https:\/\/reports\.example\.com https:\/\/ci\.example:8443;/);
  await cp('index.html', join(staging, 'index.html'));
  assert.throws(() => execFileSync('node', ['scripts/csp-hash.mjs'], { env: { ...process.env, TRUNK_STAGING_DIR: staging, SCANLENS_CONNECT_SRC: "http://plain.example 'unsafe-inline'" }, stdio: 'pipe' }), /is not an https origin/);
});
