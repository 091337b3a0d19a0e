// One finding in full, the keyboard, the URL-held view and the trend charts, in real
// Chromium against the release build, checked against the CLI for the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ARTIFACTS, FIXTURES, appReady, cliGate, cspViolations, filesRead, openPage, shared } from './harness.mjs';

const env = shared();

const shownCount = async (page) => {
  await page.waitForFunction(() => !/…/.test(document.querySelector('[data-testid=row-count]').textContent));
  return Number(/^(\d+) shown/.exec(await page.getByTestId('row-count').textContent())[1]);
};

async function open(page, files) {
  await page.goto(env.server.url);
  await appReady(page);
  await page.getByTestId('file-input').setInputFiles(files);
  await filesRead(page, files.length);
  await page.getByTestId('explorer').waitFor();
}

test('a finding merged across tools shows every source with its raw severity, and why', async () => {
  const dir = 'public/demo/builds/101';
  const files = ['public/demo/scanlens.toml', ...(await readdir(dir)).map((f) => join(dir, f))];
  const verdict = cliGate(['--policy', files[0], ...files.slice(1)]);
  const merged = verdict.failing.find((e) => e.sources.length > 1 && e.ids.some((id) => id.startsWith('CVE-')));
  assert.ok(merged, 'build 101 fails on a vulnerability both Trivy and Grype report');

  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await open(page, files);
  await page.getByTestId('search').fill(merged.ids[0]);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=row]').length >= 1);
  await page.getByTestId('row').first().click();
  const detail = page.getByTestId('detail');
  await detail.waitFor();
  const sources = await detail.locator('[data-testid=sources] tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.trim())));
  const shown = sources.map(([tool, file, severity, raw]) => ({ tool: tool.split(' ')[0], file: basename(file), severity: severity.toLowerCase(), raw }));
  const expected = merged.sources.map((s) => ({ tool: s.tool, file: basename(s.file), severity: s.severity, raw: s.raw }));
  const key = (s) => s.file;
  assert.deepEqual(shown.sort((a, b) => key(a).localeCompare(key(b))), expected.sort((a, b) => key(a).localeCompare(key(b))));
  assert.match(await detail.getByTestId('severity-reason').textContent(), new RegExp(`^${merged.severity}: the highest of its ${merged.sources.length} sources`));
  const hrefs = await detail.locator('[data-testid=advisories] a').evaluateAll((as) => as.map((a) => [a.textContent, a.href, a.rel]));
  assert.ok(hrefs.some(([text, href, rel]) => text === merged.ids[0] && href === `https://nvd.nist.gov/vuln/detail/${merged.ids[0]}` && rel === 'noopener noreferrer'), JSON.stringify(hrefs));
  assert.equal(await detail.getByTestId('fixed-in').textContent(), merged.package.fixed.join(', ') || 'no fixed version known');
  await page.screenshot({ path: join(ARTIFACTS, 'detail-merged.png') });
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('detail').count(), 0);
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
  await context.close();
});

test('code flows step by step, snippets and rule help rendered as markdown', async () => {
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await open(page, [join(FIXTURES, 'codeql/juice-shop-javascript-codeql-2.8.3.sarif')]);
  await page.getByTestId('search').fill('js/code-injection');
  await page.getByTestId('row').first().click();
  const detail = page.getByTestId('detail');
  await detail.waitFor();
  const steps = detail.locator('[data-testid=flows] .steps li');
  assert.ok((await steps.count()) >= 2, 'a taint flow has several steps');
  assert.match(await steps.first().textContent(), /routes\/\S+\.ts:\d+/);
  const help = detail.getByTestId('help').locator('[data-testid=markdown]');
  assert.ok((await help.locator('p, h4, pre, ul').count()) > 0, 'help is rendered as markdown elements');
  assert.equal(await help.locator('script, img, iframe').count(), 0);
  await page.screenshot({ path: join(ARTIFACTS, 'detail-code-flow.png') });
  await context.close();

  const second = await openPage(env.browser, env.server.origin);
  await open(second.page, [join(FIXTURES, 'semgrep/juice-shop-semgrep-oss-1.69.sarif')]);
  await second.page.getByTestId('row').first().click();
  const snippet = second.page.getByTestId('detail').locator('.snippet');
  await snippet.first().waitFor();
  assert.ok((await snippet.first().textContent()).trim().length > 0, 'the region\'s source text is shown');
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
  assert.deepEqual(second.problems, { console: [], page: [], foreign: [] });
  await second.context.close();
});

test('keyboard: / focuses search, j and k move, Enter opens, Esc closes', async () => {
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await open(page, [join(FIXTURES, 'trivy/fs-scan-large-vuln-misconfig-secret.json')]);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'search');
  await page.keyboard.press('Escape');
  await page.evaluate(() => document.activeElement.blur());
  for (const key of ['j', 'j', 'j', 'k']) await page.keyboard.press(key);
  const selected = page.locator('[data-testid=row][aria-selected=true]');
  assert.equal(await selected.getAttribute('aria-rowindex'), '3', 'third key press lands on row 3, k goes back one');
  const entry = await selected.getAttribute('data-entry');
  await page.keyboard.press('Enter');
  await page.getByTestId('detail').waitFor();
  assert.equal(await page.getByTestId('detail').getAttribute('data-entry'), entry);
  // Far down: the table scrolls with the cursor and fetches the rows it needs.
  for (let i = 0; i < 60; i++) await page.keyboard.press('j');
  await page.waitForFunction(() => document.querySelector('[data-testid=row][aria-selected=true]')?.getAttribute('aria-rowindex') === '63');
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('detail').count(), 0);
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
  await context.close();
});

test('the view lives in the URL: a copied link reopens the same filters, search and order', async () => {
  const files = [join(FIXTURES, 'trivy/fs-scan-large-vuln-misconfig-secret.json'), join(FIXTURES, 'grype/busybox-epss-risk-v0.94.json')];
  const first = await openPage(env.browser, env.server.origin);
  await open(first.page, files);
  await first.page.getByTestId('filter-high').click();
  await first.page.getByTestId('filter-open').click();
  await first.page.getByTestId('search').fill('linux');
  await first.page.getByRole('button', { name: 'Title' }).click();
  const count = await shownCount(first.page);
  const url = first.page.url();
  assert.match(url, /#q=linux&sev=high&state=open&sort=title$/);
  const titles = await first.page.locator('[data-testid=row] .title').allTextContents();
  await first.context.close();

  const second = await openPage(env.browser, env.server.origin);
  await second.page.goto(url);
  await appReady(second.page);
  await second.page.getByTestId('file-input').setInputFiles(files);
  await filesRead(second.page, files.length);
  await second.page.getByTestId('explorer').waitFor();
  assert.equal(await shownCount(second.page), count);
  assert.equal(await second.page.getByTestId('search').inputValue(), 'linux');
  assert.equal(await second.page.getByTestId('filter-high').getAttribute('aria-pressed'), 'true');
  assert.equal(await second.page.getByTestId('filter-open').getAttribute('aria-pressed'), 'true');
  assert.equal(await second.page.locator('[aria-sort=ascending] button').textContent(), 'Title');
  assert.deepEqual(await second.page.locator('[data-testid=row] .title').allTextContents(), titles);
  assert.deepEqual(second.problems, { console: [], page: [], foreign: [] });
  await second.context.close();
});

test('the demo shows both trend charts with text alternatives and the numbers as a table', async () => {
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url + '?demo');
  const manifest = JSON.parse(await readFile('public/demo/index.json', 'utf8'));
  await filesRead(page, 1 + manifest.builds.reduce((n, b) => n + b.artifacts.length, 0));
  const trends = page.getByTestId('trends');
  await trends.waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=trend-table] tbody tr').length === 6);
  const images = await trends.locator('img').evaluateAll((imgs) => imgs.map((i) => ({ alt: i.alt, ok: i.complete && i.naturalWidth > 0, src: i.src.slice(0, 31) })));
  assert.equal(images.length, 2);
  for (const img of images) {
    assert.ok(img.ok, 'the SVG decodes');
    assert.equal(img.src, 'data:image/svg+xml,%3Csvg xmlns');
  }
  assert.match(images[0].alt, /^Open findings by severity, per build: \d+ open in build 101, \d+ open in build 106 \(6 builds\)\.$/);
  assert.match(images[1].alt, /^New and fixed findings, per build: \d+ new and \d+ fixed over 6 builds\.$/);
  // The table's last row is the dashboard's cards.
  const last = await page.locator('[data-testid=trend-table] tbody tr').last().locator('td').allTextContents();
  const cards = await page.$$eval('[data-testid=severity-cards] [data-severity]:not([data-severity=not-open])', (els) => els.map((e) => e.dataset.count));
  assert.deepEqual(last.slice(0, 6), cards);
  await trends.screenshot({ path: join(ARTIFACTS, 'trends-demo.png') });
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
  await context.close();
});
