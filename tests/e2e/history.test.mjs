// "Keep builds in this browser" in real Chromium: off by default (a reload forgets); when on,
// each build loaded is there again on the next visit, so the trend grows; a removed file
// stays removed; turning it off or "forget everything" leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { appReady, filesRead, gateOnPage, openPage, shared } from './harness.mjs';

const env = shared();

async function build(i) {
  const manifest = JSON.parse(await readFile('public/demo/index.json', 'utf8'));
  return manifest.builds[i].artifacts.map((a) => resolve('public/demo', a));
}

const rows = (page) => page.getByTestId('file-row').count();
const buildsOnPage = (page) => page.getByTestId('gate-build').textContent();

/** Reloads and waits until `count` files are listed and read (0: the empty page). */
async function reload(page, count) {
  await page.goto(env.server.url);
  await appReady(page);
  if (count > 0) await filesRead(page, count);
  else await page.waitForTimeout(500);
  assert.equal(await rows(page), count);
}

test('off by default: a reload keeps nothing', async () => {
  const { context, page } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await appReady(page);
  assert.equal(await page.getByTestId('keep-builds').isChecked(), false);
  const files = await build(0);
  await page.getByTestId('file-input').setInputFiles(files);
  await filesRead(page, files.length);
  await reload(page, 0);
  await context.close();
});

test('kept builds come back on the next visit and the trend grows; off and forget leave nothing', async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await appReady(page);
  await page.getByTestId('keep-builds').check();
  const first = await build(0);
  await page.getByTestId('file-input').setInputFiles(first);
  await filesRead(page, first.length);
  const gate101 = await gateOnPage(page);

  await reload(page, first.length);
  assert.match(await buildsOnPage(page), /Build 101.*\(latest of 1\)/);
  assert.deepEqual(await gateOnPage(page), gate101);
  assert.equal(await page.getByTestId('keep-builds').isChecked(), true);

  const second = await build(1);
  await page.getByTestId('file-input').setInputFiles(second);
  await filesRead(page, first.length + second.length);
  await reload(page, first.length + second.length);
  assert.match(await buildsOnPage(page), /Build 102.*\(latest of 2\)/);
  await page.getByTestId('trends').waitFor();
  assert.equal(await page.locator('[data-testid=trends] table tbody tr').count(), 2);

  // A removed file stays removed (the list is folded with this many files: unfold it).
  await page.getByTestId('files-caption').click();
  await page.getByTestId('remove').first().click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=file-row]').length === n, first.length + second.length - 1);
  // The deletion is one IndexedDB transaction in the worker; give it time to commit.
  await page.waitForTimeout(1000);
  await reload(page, first.length + second.length - 1);

  // Off: what was kept is deleted.
  await page.getByTestId('keep-builds').uncheck();
  await page.waitForTimeout(300);
  await reload(page, 0);

  // On again, then forget everything: nothing, and the choice is off.
  await page.getByTestId('keep-builds').check();
  await page.getByTestId('file-input').setInputFiles(first);
  await filesRead(page, first.length);
  await page.waitForTimeout(300);
  await page.getByTestId('forget-everything').click();
  await page.waitForTimeout(500);
  await reload(page, 0);
  assert.equal(await page.getByTestId('keep-builds').isChecked(), false);
  assert.deepEqual(problems.page, []);
  assert.deepEqual(problems.console, []);
  await context.close();
});
