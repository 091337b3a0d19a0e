// The hostile-content corpus (tests/hostile, written by scripts/gen-hostile.py) in real
// Chromium: every format with attack payloads in every string the page shows, plus a 10 MB
// message, a million-element array and JSON nested 100,000 deep. Nothing may run, nothing
// may leave the page, the layout must hold, and the payloads must show as text; the same
// holds for the HTML report made from them, opened with JavaScript enabled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ARTIFACTS, appReady, cspViolations, filesRead, openPage, shared } from './harness.mjs';

const env = shared();

const canary = (page) => page.evaluate(() => window.__pwned);

const reportsOf = (page) => page.getByTestId('report').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.name, {
  findings: Number(e.dataset.findings),
  diagnostics: [...e.querySelectorAll('.diagnostics li')].map((li) => li.textContent),
}])));

async function assertClean(page, problems, where) {
  assert.equal(await canary(page), undefined, `${where}: a payload ran`);
  assert.deepEqual(await cspViolations(page), [], where);
  assert.deepEqual(problems.foreign, [], where);
  assert.deepEqual(problems.page, [], where);
  // Layout intact: the page is visible and the injected `body{display:none}` did nothing.
  const layout = await page.evaluate(() => ({
    display: getComputedStyle(document.body).display,
    styles: document.querySelectorAll('style').length,
    width: document.documentElement.scrollWidth - window.innerWidth,
  }));
  assert.equal(layout.display, 'block', where);
  assert.equal(layout.styles, 0, `${where}: no <style> element was created`);
  assert.ok(layout.width <= 0, `${where}: page overflows by ${layout.width}px`);
  const injected = await page.evaluate(() => document.querySelectorAll('main script, main img:not(.chart img), main svg, main iframe, main object, main embed, main style, [onerror], [onload], [onmouseover]').length);
  assert.equal(injected, 0, `${where}: an injected element or handler exists`);
  // Trojan Source: no bidi override or zero-width character reaches the screen unmarked.
  const invisible = await page.evaluate(() => /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/.test(document.body.innerText));
  assert.equal(invisible, false, `${where}: an invisible or bidi character is shown raw`);
  const hrefs = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')));
  for (const href of hrefs) assert.match(href, /^(https?:|mailto:|\.\/$)/i, `${where}: link to ${href}`);
}

test('the hostile corpus renders as text everywhere, runs nothing and sends nothing', async () => {
  const dir = 'tests/hostile';
  const files = (await readdir(dir)).sort().map((f) => join(dir, f));
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await appReady(page);
  // An older build of the demo first, so the hostile build is the latest and charts draw.
  const demo = 'public/demo/builds/106';
  await page.getByTestId('file-input').setInputFiles((await readdir(demo)).map((f) => join(demo, f)));
  await page.getByTestId('file-input').setInputFiles(files);
  await filesRead(page, files.length + (await readdir(demo)).length);
  await page.getByTestId('trends').waitFor();
  const gateBuild = await page.getByTestId('gate-build').textContent();
  assert.ok(gateBuild.includes("<script>window.__pwned='script'</script>"), gateBuild);
  await assertClean(page, problems, 'overview');
  // Every report parsed: the corpus exercises the page, not the error path.
  const reports = await page.getByTestId('report').evaluateAll((els) => els.map((e) => [e.dataset.name, Number(e.dataset.findings), e.querySelector('.diagnostics')?.textContent ?? '']));
  for (const [name, findings, diagnostics] of reports.filter(([n]) => n.startsWith('hostile-') && !n.includes('vex'))) {
    assert.ok(findings > 0, `${name} parsed into findings (${diagnostics})`);
  }
  // Open every finding of the hostile build.
  const total = await page.getByTestId('row').count();
  assert.ok(total >= 10, `${total} rows`);
  for (let i = 0; i < total; i++) {
    await page.getByTestId('row').nth(i).click();
    await page.getByTestId('detail').waitFor();
    const title = await page.locator('#detail-title').textContent();
    assert.ok(title.includes('<') || title.length > 0);
    await assertClean(page, problems, `detail ${i}`);
    await page.keyboard.press('Escape');
  }
  await page.getByTestId('row').first().click();
  await page.getByTestId('detail').waitFor();
  const shown = await page.getByTestId('detail').textContent();
  assert.ok(shown.includes("<img src=x onerror=\"window.__pwned='img'\">"), 'payloads show as text');
  assert.ok(shown.includes('bidi:⟦U+202E⟧exe.txt⟦U+202C⟧'), 'bidi overrides are shown, not obeyed');
  await page.screenshot({ path: join(ARTIFACTS, 'hostile-detail.png') });
  await page.keyboard.press('Escape');
  // A component whose name carries the payload still opens and filters.
  await page.getByTestId('more-filters').locator('summary').click();
  const component = page.locator('.facet[data-facet=component] input').first();
  const n = Number(await page.locator('.facet[data-facet=component] .facet-value').first().locator('span.muted').textContent());
  await component.check();
  await page.waitForFunction((k) => document.querySelector('[data-testid=row-count]')?.textContent.startsWith(`${k} shown`), n);
  await component.uncheck();
  await page.getByTestId('tab-components').click();
  await page.getByTestId('component-name').waitFor();
  // Open every checklist and every control in it.
  await page.evaluate(() => document.querySelectorAll('.checklist, .control details').forEach((d) => { d.open = true; }));
  await assertClean(page, problems, 'components');
  await page.getByTestId('tab-builds').click();
  await page.getByTestId('diff-summary').waitFor();
  await assertClean(page, problems, 'builds');
  await page.screenshot({ path: join(ARTIFACTS, 'hostile-builds.png'), fullPage: true });
  // The HTML report of the hostile build, opened with JavaScript on: nothing runs there either.
  await page.getByTestId('tab-overview').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-html').click()]);
  const report = join(ARTIFACTS, 'hostile-report.html');
  await writeFile(report, await readFile(await download.path()));
  await assertReportClean(report);
  assert.deepEqual(problems.console, []);
  await context.close();
});

/** Opens a report with JavaScript enabled and checks that no payload in it runs or loads. */
async function assertReportClean(path) {
  const context = await env.browser.newContext({ javaScriptEnabled: true });
  const page = await context.newPage();
  const events = { requests: [], dialogs: [], errors: [] };
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) events.requests.push(r.url()); });
  page.on('dialog', (d) => { events.dialogs.push(d.message()); d.dismiss(); });
  page.on('pageerror', (e) => events.errors.push(String(e)));
  await page.goto('file://' + resolve(path));
  const dom = await page.evaluate(() => ({
    pwned: window.__pwned,
    scripts: document.querySelectorAll('script, iframe, object, embed, img, link, base, form, meta[http-equiv=refresh]').length,
    styles: document.querySelectorAll('style').length,
    handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
    display: getComputedStyle(document.body).display,
    hrefs: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')).filter((h) => !h.startsWith('#')),
    invisible: /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/.test(document.body.innerText),
    text: document.body.innerText,
  }));
  assert.equal(dom.pwned, undefined, 'a payload ran in the report');
  assert.equal(dom.scripts, 0, 'an injected element exists in the report');
  assert.equal(dom.styles, 1, 'only the report\'s own <style>');
  assert.equal(dom.handlers, 0, 'an event handler attribute exists in the report');
  assert.equal(dom.display, 'block');
  assert.deepEqual(dom.hrefs, []);
  assert.equal(dom.invisible, false, 'an invisible or bidi character is shown raw in the report');
  assert.ok(dom.text.includes("<img src=x onerror=\"window.__pwned='img'\">"), 'payloads show as text in the report');
  assert.ok(dom.text.includes('⟦U+202E⟧'), 'bidi overrides are shown, not obeyed, in the report');
  // It prints, too.
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000);
  assert.deepEqual(events, { requests: [], dialogs: [], errors: [] });
  await context.close();
}

test('a 10 MB message, a million-element array and 100,000-deep JSON cost only their own files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'scanlens-hostile-'));
  const sarif = (results, extra = {}) => JSON.stringify({
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'Big' } }, results, ...extra }],
  });
  const huge = join(dir, 'huge-message.sarif');
  await writeFile(huge, sarif([{ ruleId: 'big', level: 'error', message: { text: '<b>x</b> '.repeat(1_250_000) } }]));
  const wide = join(dir, 'million-array.sarif');
  await writeFile(wide, sarif([{ ruleId: 'wide', message: { text: 'wide' }, properties: { many: new Array(1_000_000).fill(0) } }]));
  const deep = join(dir, 'deep.json');
  await writeFile(deep, '['.repeat(100_000) + ']'.repeat(100_000));
  const good = join('tests/hostile', 'hostile-trivy.json');
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await appReady(page);
  await page.getByTestId('file-input').setInputFiles([huge, wide, deep, good]);
  await filesRead(page, 4);
  const reports = await reportsOf(page);
  assert.equal(reports['huge-message.sarif'].findings, 1);
  assert.equal(reports['million-array.sarif'].findings, 1);
  assert.equal(reports['deep.json'].findings, 0);
  assert.ok(reports['deep.json'].diagnostics.some((d) => d.startsWith('error: ')), JSON.stringify(reports['deep.json']));
  assert.equal(reports['hostile-trivy.json'].findings, 3);
  await page.getByTestId('search').fill('big');
  await page.getByTestId('row').first().click();
  await page.getByTestId('detail').waitFor();
  await assertClean(page, problems, 'huge message');
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('a file too big for a tab is refused by name and limit, before it is read; the rest stay', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'scanlens-big-'));
  const big = join(dir, 'enormous.sarif');
  // Sparse: 1.5 GiB on paper, nothing on disk; the page must not try to read it.
  await writeFile(big, '');
  await truncate(big, 1.5 * 1024 ** 3);
  const good = join('tests/hostile', 'hostile-grype.json');
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await appReady(page);
  await page.getByTestId('file-input').setInputFiles([good, big]);
  await filesRead(page, 2);
  const reports = await reportsOf(page);
  assert.deepEqual(reports['enormous.sarif'].diagnostics, [
    'error: enormous.sarif: 1.5 GB is more than the 1.0 GB one file may be in a browser tab; `scanlens summary` reads it on the command line',
  ]);
  assert.equal(reports['hostile-grype.json'].findings, 3);
  assert.equal(await page.getByTestId('worker-stopped').count(), 0);
  await assertClean(page, problems, 'oversized');
  await context.close();
});
