// The builds page in real Chromium: the demo's six builds, a diff between any two that
// agrees with `scanlens diff`, and builds the user renames, re-dates and merges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, cspViolations, filesRead, openPage, shared } from './harness.mjs';
import { execFileSync } from 'node:child_process';

const env = shared();

/** `scanlens diff` text output: `new N, fixed N, unchanged N, changed severity N`. */
function cliDiff(oldFiles, newFiles) {
  const out = execFileSync('cargo', ['run', '--locked', '-q', '-p', 'scanlens-cli', '--', 'diff', '--policy', 'public/demo/scanlens.toml', ...oldFiles, '--', ...newFiles], { encoding: 'utf8' });
  const first = out.split('\n')[0];
  const count = (what) => Number(new RegExp(`\\b${what} (\\d+)`).exec(first)?.[1]);
  return { out, new: count('new'), fixed: count('fixed'), unchanged: count('unchanged'), changed: count('changed severity') };
}

test('the demo\'s builds, a diff the CLI agrees with, and rename, re-date and merge', async () => {
  const manifest = JSON.parse(await readFile('public/demo/index.json', 'utf8'));
  const files = (b) => manifest.builds[b].artifacts.map((a) => `public/demo/${a}`);
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url + '?demo#view=builds');
  await filesRead(page, 1 + manifest.builds.reduce((n, b) => n + b.artifacts.length, 0));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=build-row]').length === 6);
  const ids = await page.getByTestId('build-row').evaluateAll((rows) => rows.map((r) => r.dataset.id));
  assert.deepEqual(ids, manifest.builds.map((b) => b.id));

  // Default: the last two builds.
  const summary = page.getByTestId('diff-summary');
  await summary.waitFor();
  const expected = cliDiff(files(4), files(5));
  assert.match(expected.out, /new/, expected.out);
  const shownCounts = async () => ({
    new: Number(await page.getByTestId('diff-new').getAttribute('data-count')),
    fixed: Number(await page.getByTestId('diff-fixed').getAttribute('data-count')),
    changed: Number(await page.getByTestId('diff-changed').getAttribute('data-count')),
    unchanged: Number(/(\d+) unchanged/.exec(await summary.textContent())[1]),
  });
  // Builds arrive one file at a time; wait for the comparison of the complete builds.
  const settled = (text) => page.waitForFunction((t) => document.querySelector('[data-testid=diff-summary]')?.textContent === t, text);
  await settled(`105 → 106: ${expected.new} new, ${expected.fixed} fixed, ${expected.changed} changed severity, ${expected.unchanged} unchanged`);
  assert.deepEqual(await shownCounts(), { new: expected.new, fixed: expected.fixed, changed: expected.changed, unchanged: expected.unchanged });

  // Any two builds: 101 against 105.
  await page.getByTestId('diff-0').selectOption('0');
  await page.getByTestId('diff-1').selectOption('4');
  const other = cliDiff(files(0), files(4));
  await settled(`101 → 105: ${other.new} new, ${other.fixed} fixed, ${other.changed} changed severity, ${other.unchanged} unchanged`);
  assert.deepEqual(await shownCounts(), { new: other.new, fixed: other.fixed, changed: other.changed, unchanged: other.unchanged });
  await page.screenshot({ path: join(ARTIFACTS, 'builds-diff.png'), fullPage: true });

  // Rename 106; the gate banner names the build by its new name.
  const name = page.locator('[data-testid=build-row][data-id="106"] [data-testid=build-name]');
  await name.fill('release-1.0');
  await name.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=build-row]:last-child')?.dataset.id === 'release-1.0');
  // Re-date 101 after everything else: it becomes the latest build, and its gate fails.
  const time = page.locator('[data-testid=build-row][data-id="101"] [data-testid=build-time]');
  await time.fill('2026-03-28T12:00');
  await time.dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('[data-testid=build-row]:last-child')?.dataset.id === '101');
  assert.match(await page.locator('[data-testid=build-row]:last-child').textContent(), /set by you/);
  // Merge 105 into 104, then split it again.
  await page.locator('[data-testid=build-row][data-id="105"] select').selectOption('104');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=build-row]').length === 5);
  assert.match(await page.locator('[data-testid=build-row][data-id="104"]').textContent(), /\+ 105/);
  await page.locator('[data-testid=build-row][data-id="104"]').getByRole('button', { name: 'Split' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=build-row]').length === 6);

  await page.getByTestId('tab-overview').click();
  await page.getByTestId('gate').waitFor();
  assert.match(await page.getByTestId('gate-build').textContent(), /^Build 101, /);
  assert.equal(await page.getByTestId('gate').getAttribute('data-passed'), 'false');
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
  await context.close();
});

test('files dropped together can be split into a build of their own, and rejoined', async () => {
  const manifest = JSON.parse(await readFile('public/demo/index.json', 'utf8'));
  const files = [...manifest.builds[4].artifacts, ...manifest.builds[5].artifacts]
    .filter((a) => !a.endsWith('scanlens-build.json'))
    .map((a) => `public/demo/${a}`);
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url + '#view=builds');
  await page.getByTestId('file-input').setInputFiles(files);
  await filesRead(page, files.length);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=build-row]').length === 1);
  // Same base names from two folders: the first half came from build 105.
  const row = page.getByTestId('build-row').first();
  await row.locator('.build-files summary').click();
  await row.getByTestId('move-off').first().click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=build-row]').length === 2);
  const ids = await page.getByTestId('build-row').evaluateAll((rows) => rows.map((r) => r.dataset.id));
  assert.deepEqual(ids, ['drop-1', 'drop-1-split']);
  const count = (id) => page.locator(`[data-testid=build-row][data-id="${id}"] td.num`).textContent();
  assert.equal(Number(await count('drop-1-split')), 1);
  assert.equal(Number(await count('drop-1')), files.length - 1);
  await page.getByTestId('rejoin').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=build-row]').length === 1);
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
  await context.close();
});
