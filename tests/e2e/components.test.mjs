// The components page in real Chromium: each component's counts, trend and checklists, with
// every control's status what `scanlens compliance` says for the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, cli, cspViolations, openPage, shared } from './harness.mjs';

const env = shared();

test('each demo component shows its counts and its checklists as the CLI computes them', async () => {
  const manifest = JSON.parse(await readFile('public/demo/index.json', 'utf8'));
  const latest = manifest.builds.at(-1).artifacts.map((a) => `public/demo/${a}`);
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url + '?demo#view=components');
  await page.getByTestId('component-name').waitFor({ timeout: 20_000 });
  // Wait for all six builds: the page follows the latest one as builds arrive.
  const count = 1 + manifest.builds.reduce((n, b) => n + b.artifacts.length, 0);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=file-row]').length === n
    && document.querySelectorAll('[data-testid=file-row] [data-testid=reading]').length === 0
    && document.querySelectorAll('[data-testid=file-row][data-hashing]').length === 0, count, { timeout: 20_000 });
  const names = await page.locator('.component-list button span:first-child').allTextContents();
  assert.deepEqual([...names].sort(), ['shop-api', 'shop-chart', 'shop-web']);
  for (const name of names) {
    await page.locator('.component-list button', { hasText: name }).click();
    await page.waitForFunction((n) => document.querySelector('[data-testid=component-name]')?.textContent === n, name);
    assert.match(page.url(), new RegExp(`view=components&show=${name}`));
    for (const framework of ['owasp-2021', 'owasp-2025', 'docker-cis-1.6.0', 'k8s-cis-1.23']) {
      const expected = cli(['compliance', '--framework', framework, '--component', name, '--json', '--policy', 'public/demo/scanlens.toml', ...latest])
        .checklists.find((c) => c.component === name);
      const list = page.locator(`[data-testid=checklist][data-framework="${framework}"]`);
      if (!expected) {
        assert.equal(await list.count(), 0, `${name} ${framework}`);
        continue;
      }
      const shown = await list.locator('.control').evaluateAll((els) => els.map((e) => [e.dataset.id, e.dataset.status]));
      assert.deepEqual(shown, expected.controls.map((c) => [c.id, c.status]), `${name} ${framework}`);
    }
  }
  // The chart's Helm scan looked only for misconfigurations: dependencies are not assessed.
  await page.locator('.component-list button', { hasText: 'shop-chart' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=component-name]')?.textContent === 'shop-chart');
  const a06 = page.locator('[data-framework=owasp-2021] .control[data-id="A06:2021"]');
  assert.equal(await a06.getAttribute('data-status'), 'not-assessed');
  assert.match(await a06.textContent(), /Not assessed/);
  await page.locator('.component-list button', { hasText: 'shop-api' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=component-name]')?.textContent === 'shop-api');
  await page.locator('[data-framework=owasp-2021] .control[data-status=warn] summary').first().click();
  await page.screenshot({ path: join(ARTIFACTS, 'component-shop-api.png'), fullPage: true });
  // Evidence opens the finding.
  await page.locator('[data-framework=owasp-2021] .control[data-status=warn] .evidence button').first().click();
  await page.getByTestId('detail').waitFor();
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
  await context.close();
});
