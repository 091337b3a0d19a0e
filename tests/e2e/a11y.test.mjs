// Accessibility in real Chromium: axe-core over every page of the app on the demo data, in
// light and dark, at phone and desktop widths. No serious or critical violation may remain.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, filesRead, openPage, shared } from './harness.mjs';

const env = shared();
let axeSource;
before(async () => {
  axeSource = await readFile('node_modules/axe-core/axe.min.js', 'utf8');
});

/** Runs axe (evaluated through the devtools protocol, so the page's CSP stays as it is). */
async function serious(page) {
  await page.evaluate(`${axeSource};0`);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

for (const [scheme, width] of [['light', 1280], ['dark', 1280], ['light', 360], ['dark', 3840]]) {
  test(`no serious or critical axe violation on any page (${scheme}, ${width} px)`, async () => {
    const manifest = JSON.parse(await readFile('public/demo/index.json', 'utf8'));
    const { page, problems, context } = await openPage(env.browser, env.server.origin, { colorScheme: scheme, viewport: { width, height: 800 } });
    await page.goto(env.server.url);
    assert.deepEqual(await serious(page), [], 'empty page');
    await page.goto(env.server.url + '?demo');
    await filesRead(page, 1 + manifest.builds.reduce((n, b) => n + b.artifacts.length, 0));
    await page.getByTestId('trends').waitFor();
    assert.deepEqual(await serious(page), [], 'overview');
    await page.getByTestId('row').first().click();
    await page.getByTestId('detail').waitFor();
    assert.deepEqual(await serious(page), [], 'finding detail');
    await page.screenshot({ path: join(ARTIFACTS, `detail-${scheme}-${width}.png`) });
    await page.keyboard.press('Escape');
    await page.getByTestId('tab-components').click();
    await page.getByTestId('component-name').waitFor();
    await page.locator('[data-framework=owasp-2021] .control[data-status=warn] summary').first().click();
    assert.deepEqual(await serious(page), [], 'components');
    await page.getByTestId('tab-builds').click();
    await page.getByTestId('diff-summary').waitFor();
    assert.deepEqual(await serious(page), [], 'builds');
    await page.screenshot({ path: join(ARTIFACTS, `builds-${scheme}-${width}.png`), fullPage: true });
    // Nothing wider than the screen at 360 px but the tables that scroll on purpose.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
    assert.deepEqual(problems, { console: [], page: [], foreign: [] });
    await context.close();
  });
}

test('the theme follows the system, and the toggle overrides it and is remembered', async () => {
  const { page, problems, context } = await openPage(env.browser, env.server.origin, { colorScheme: 'light' });
  await page.goto(env.server.url);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme ?? 'system');
  assert.equal(await theme(), 'system');
  const light = await background();
  await page.getByTestId('theme').click();
  assert.equal(await theme(), 'light');
  assert.equal(await background(), light);
  await page.getByTestId('theme').click();
  assert.equal(await theme(), 'dark');
  const dark = await background();
  assert.notEqual(dark, light);
  await page.reload();
  await page.getByTestId('drop-zone').waitFor();
  assert.equal(await theme(), 'dark', 'remembered on this device');
  assert.equal(await background(), dark);
  assert.equal(await page.getByTestId('theme').textContent(), 'Theme: dark');
  assert.deepEqual(await serious(page), []);
  await page.getByTestId('theme').click();
  assert.equal(await theme(), 'system');
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
  await context.close();
});
