// The findings explorer in real Chromium: a virtualised table (only the rows on screen are in
// the DOM), filters whose counts are the dashboard's, search, and sorting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, FIXTURES, appReady, cli, cliGate, cspViolations, filesRead, openPage, shared } from './harness.mjs';

const env = shared();

const FILES = [
  'semgrep/owasp-benchmark-semgrep-0.17.sarif',
  'trivy/fs-scan-large-vuln-misconfig-secret.json',
  'codeql/juice-shop-javascript-codeql-2.8.3.sarif',
].map((f) => join(FIXTURES, f));

const count = async (page) => {
  await page.waitForFunction(() => !/…/.test(document.querySelector('[data-testid=row-count]').textContent));
  const text = await page.getByTestId('row-count').textContent();
  return Number(/^(\d+) shown/.exec(text)[1]);
};
const cards = (page) => page.$$eval('[data-testid=severity-cards] [data-severity]', (els) =>
  Object.fromEntries(els.map((e) => [e.dataset.severity, Number(e.dataset.count)])));

test('thousands of rows scroll with only the visible ones in the DOM; filters match the dashboard', async () => {
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await appReady(page);
  await page.getByTestId('file-input').setInputFiles(FILES);
  await filesRead(page, FILES.length);
  const verdict = cliGate(FILES);
  await page.waitForFunction((n) => document.querySelector('[data-testid=gate]')?.dataset.entries === String(n), verdict.entries);
  const total = await count(page);
  assert.equal(total, verdict.entries, 'every entry is in the table');
  assert.ok(total > 2000, `${total} rows`);

  // Only a window of rows exists, and the scroll space is the whole table.
  const drawn = await page.getByTestId('row').count();
  assert.ok(drawn > 10 && drawn < 60, `${drawn} rows drawn`);
  const body = page.getByTestId('grid-body');
  assert.equal(await body.evaluate((el) => el.scrollHeight), total * 32);
  // The first row is the most severe.
  assert.equal(await page.getByTestId('row').first().getAttribute('data-severity'), 'critical');

  // Scroll to the end: the last rows arrive from the worker.
  await body.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid=row]')].some((r) => r.getAttribute('aria-rowindex') === String(n + 1)), total);
  assert.ok(await page.getByTestId('row').count() < 60);
  await page.screenshot({ path: join(ARTIFACTS, 'explorer-scrolled.png') });

  // Severity filters count what the cards count (open entries) once "Open only" is on.
  const onCards = await cards(page);
  await page.getByTestId('filter-open').click();
  // A new query starts at the top again (the table was scrolled to its end), first row drawn.
  await page.waitForFunction(() => document.querySelector('[data-testid=grid-body]').scrollTop === 0);
  await page.waitForFunction(() => document.querySelector('[data-testid=row]')?.getAttribute('aria-rowindex') === '2');
  for (const severity of ['critical', 'high', 'medium', 'low']) {
    await page.getByTestId(`filter-${severity}`).click();
    assert.equal(await count(page), onCards[severity], severity);
    await page.getByTestId(`filter-${severity}`).click();
  }
  const open = Object.entries(onCards).filter(([k]) => k !== 'not-open').reduce((n, [, v]) => n + v, 0);
  assert.equal(await count(page), open);
  await page.getByTestId('filter-open').click();

  // Failing only: the gate's failing entries.
  await page.getByTestId('filter-failing').click();
  assert.equal(await count(page), verdict.failing.length);
  await page.getByTestId('filter-failing').click();

  // Search narrows to rows that contain every word.
  const rule = await page.locator('[data-testid=row] .mono').first().textContent();
  await page.getByTestId('search').fill(rule.toUpperCase());
  const hits = await count(page);
  assert.ok(hits >= 1 && hits < total, `${rule}: ${hits} hits`);
  if (hits < 20) {
    const rows = await page.getByTestId('row').evaluateAll((els) => els.map((r) => r.textContent.toLowerCase()));
    assert.equal(rows.length, hits);
  }
  await page.getByTestId('search').fill('no-such-finding-anywhere');
  assert.equal(await count(page), 0);
  await page.getByTestId('search').fill('');
  assert.equal(await count(page), total);

  // Sort by title: ascending, then descending on a second click.
  await page.getByRole('button', { name: 'Title' }).click();
  const first = await page.locator('[data-testid=row] .title').first().textContent();
  await page.getByRole('button', { name: 'Title' }).click();
  await page.waitForFunction((t) => document.querySelector('[data-testid=row] .title')?.textContent !== t, first);
  const last = await page.locator('[data-testid=row] .title').first().textContent();
  assert.ok(first.toLowerCase() <= last.toLowerCase(), `${first} <= ${last}`);
  assert.equal(await page.locator('[aria-sort=descending]').count(), 1);

  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
  await context.close();
});

test('more filters: every facet value selects as many rows as it says, and "new since build 104" is the diff', async () => {
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url + '?demo');
  const manifest = JSON.parse(await readFile('public/demo/index.json', 'utf8'));
  await filesRead(page, 1 + manifest.builds.reduce((n, b) => n + b.artifacts.length, 0));
  await page.getByTestId('more-filters').locator('summary').click();
  for (const facet of ['tool', 'component', 'kind', 'cwe', 'owasp']) {
    const box = page.locator(`.facet[data-facet=${facet}] input`).first();
    const label = page.locator(`.facet[data-facet=${facet}] .facet-value`).first();
    const expected = Number((await label.locator('span.muted').textContent()).trim());
    await box.check();
    await page.waitForFunction((n) => document.querySelector('[data-testid=row-count]')?.textContent.startsWith(`${n} shown`), expected);
    // The demo's selections fit on screen: every selected row is drawn.
    if (expected <= 20) assert.equal(await page.getByTestId('row').count(), expected, facet);
    await page.locator(`.facet[data-facet=${facet}] input[data-value="${await box.getAttribute('data-value')}"]`).uncheck();
    await page.waitForFunction(() => !/…/.test(document.querySelector('[data-testid=row-count]').textContent));
  }
  // Since build 104 (the fourth build): what the Builds page's diff calls new.
  await page.getByTestId('against').selectOption('3');
  const fresh = page.locator('.facet[data-facet=change] input[data-value=new]');
  await fresh.waitFor();
  const expected = Number((await page.locator('.facet[data-facet=change] .facet-value', { hasText: 'new' }).locator('span.muted').textContent()).trim());
  await fresh.check();
  await page.waitForFunction((n) => document.querySelector('[data-testid=row-count]')?.textContent.startsWith(`${n} shown`), expected);
  assert.match(page.url(), /change=new&against=3/);
  const out = cli(['diff', '--policy', 'public/demo/scanlens.toml', ...manifest.builds[3].artifacts.map((a) => `public/demo/${a}`), '--', ...manifest.builds[5].artifacts.map((a) => `public/demo/${a}`)], { text: true });
  assert.equal(expected, Number(/new (\d+)/.exec(out)[1]), out);
  // Fixed since build 101: the rows come from build 101, after a header, as `scanlens diff` says.
  await fresh.uncheck();
  await page.getByTestId('against').selectOption('0');
  const gone = page.locator('.facet[data-facet=change] input[data-value=fixed]');
  await gone.waitFor();
  await gone.check();
  const first = cli(['diff', '--policy', 'public/demo/scanlens.toml', ...manifest.builds[0].artifacts.map((a) => `public/demo/${a}`), '--', ...manifest.builds[5].artifacts.map((a) => `public/demo/${a}`)], { text: true });
  const fixed = Number(/fixed (\d+)/.exec(first)[1]);
  assert.ok(fixed > 0, first);
  await page.waitForFunction((n) => document.querySelector('[data-testid=row-count]')?.textContent.startsWith(`${n} shown`), fixed);
  assert.match(await page.getByTestId('group-row').first().textContent(), /^fixed since build 101/);
  assert.equal(await page.locator('[data-testid=row].gone').count(), fixed);
  await page.locator('[data-testid=row].gone').first().click();
  await page.waitForTimeout(200);
  assert.equal(await page.getByTestId('detail').count(), 0, 'a fixed row has no detail in the latest build');
  await page.screenshot({ path: join(ARTIFACTS, 'explorer-facets.png'), fullPage: true });
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
  await context.close();
});

test('group by component: a header per component with its count, kept in the URL', async () => {
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url + '?demo');
  const manifest = JSON.parse(await readFile('public/demo/index.json', 'utf8'));
  await filesRead(page, 1 + manifest.builds.reduce((n, b) => n + b.artifacts.length, 0));
  const total = await count(page);
  await page.getByTestId('group-by').selectOption('component');
  await page.waitForFunction(() => /in \d+ groups$/.test(document.querySelector('[data-testid=row-count]')?.textContent));
  assert.equal(await page.getByTestId('row-count').textContent(), `${total} shown of ${total}, in 3 groups`);
  const groups = await page.getByTestId('group-row').evaluateAll((rows) => rows.map((r) => [r.textContent.split(' · ')[0], Number(r.dataset.count)]));
  assert.deepEqual(groups.map(([name]) => name), ['shop-api', 'shop-chart', 'shop-web']);
  const tallies = await page.$$eval('[data-testid=by-component] tr', (rows) => Object.fromEntries(rows.map((r) => [r.dataset.name, Number(r.dataset.total)])));
  // Headers count every entry, open or not; the dashboard's tallies count the open ones.
  assert.equal(groups.reduce((n, [, c]) => n + c, 0), total);
  for (const [name, n] of groups) assert.ok(n >= tallies[name], `${name}: ${n} >= ${tallies[name]} open`);
  assert.match(page.url(), /group=component/);
  // Rows under a header belong to it.
  const layout = await page.locator('.grid-window > div').evaluateAll((rows) => rows.map((r) => r.dataset.testid === 'group-row' ? ['group', r.textContent.split(' · ')[0]] : ['row', r.children[3].textContent]));
  let current = null;
  for (const [kind, name] of layout) {
    if (kind === 'group') current = name;
    else assert.equal(name, current);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'explorer-grouped.png'), fullPage: true });
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
  await context.close();
});
