// Triage in real Chromium: a decision made in the detail panel excuses that one finding in
// the gate (as `scanlens gate` does with the exported rules), survives a reload (IndexedDB),
// goes out as OpenVEX and policy rules, comes back when either file is dropped on a fresh
// browser, and "forget everything" removes it. A decision without a name is refused, by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ARTIFACTS, appReady, cliGate, filesRead, gateOnPage, openPage, shared } from './harness.mjs';

const env = shared();
const BUILD = resolve('public/demo/builds/102');

async function buildFiles() {
  const manifest = JSON.parse(await readFile('public/demo/index.json', 'utf8'));
  return manifest.builds[1].artifacts.map((a) => resolve('public/demo', a));
}

/** Loads build 102 (extra files too) and waits for the gate. */
async function load(page, extra = []) {
  await page.goto(env.server.url);
  await appReady(page);
  const files = [...(await buildFiles()), ...extra];
  await page.getByTestId('file-input').setInputFiles(files);
  await filesRead(page, files.length);
  await page.getByTestId('gate').waitFor();
  return gateOnPage(page);
}

/** Opens the first failing vulnerability of the gate's list. */
async function openFailingVulnerability(page) {
  await page.getByTestId('failing').locator('button.link').first().click();
  await page.getByTestId('detail').waitFor();
  return page.getByTestId('detail').getAttribute('data-entry');
}

async function download(page, testid) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: d.suggestedFilename(), text: await readFile(await d.path(), 'utf8') };
}

test('a decision excuses one finding, persists, exports, comes back, and can be forgotten', async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  const before = await load(page);
  const cli = cliGate((await buildFiles()));
  assert.equal(before.failing, cli.failing.length);
  assert.ok(before.failing >= 2, `build 102 fails with ${before.failing}`);

  // A decision without a name is refused, and says what is missing.
  await openFailingVulnerability(page);
  await page.getByTestId('triage-status').selectOption('accepted-risk');
  await page.getByTestId('triage-justification').fill('Only reachable from the admin VPN; SHOP-501 replaces it');
  await page.getByTestId('triage-by').fill('');
  await page.getByTestId('triage-save').click();
  await page.getByTestId('failed').waitFor();
  assert.match(await page.getByTestId('failed').textContent(), /The triage decision was not saved: say who: a decision needs a name/);
  assert.equal((await gateOnPage(page)).failing, before.failing);

  // Saved: the gate drops exactly that finding, and says triage excused it.
  await page.getByTestId('triage-by').fill('Grace Hopper');
  await page.getByTestId('triage-save').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=gate]').dataset.failing) === n, before.failing - 1);
  assert.match(await page.getByTestId('gate').textContent(), /1 excused by triage/);
  await page.getByTestId('triage-current').waitFor();
  assert.match(await page.getByTestId('triage-current').textContent(), /^accepted risk by Grace Hopper on \d{4}-\d\d-\d\d: Only reachable from the admin VPN; SHOP-501 replaces it This finding does not fail the gate\.$/);

  // The exported policy rules make `scanlens gate` agree with the page.
  await page.getByTestId('close-detail').click();
  const rules = await download(page, 'export-triage-policy');
  assert.equal(rules.name, 'scanlens-triage.toml');
  const rulesPath = join(ARTIFACTS, 'scanlens-triage.toml');
  await writeFile(rulesPath, rules.text);
  assert.equal(cliGate(['--policy', rulesPath, ...(await buildFiles())]).failing.length, before.failing - 1);

  // OpenVEX: one statement, affected with an action statement, for the vulnerability.
  const vex = await download(page, 'export-openvex');
  assert.equal(vex.name, 'scanlens-triage.openvex.json');
  const doc = JSON.parse(vex.text);
  assert.equal(doc['@context'], 'https://openvex.dev/ns/v0.2.0');
  assert.equal(doc.statements.length, 1);
  assert.equal(doc.statements[0].status, 'affected');
  assert.match(doc.statements[0].action_statement, /^accepted risk: Only reachable from the admin VPN; SHOP-501 replaces it \[scanlens triage accepted-risk by Grace Hopper fingerprint [0-9a-f]{16}\]$/);
  assert.match(doc.statements[0].vulnerability.name, /^(CVE|GHSA|GO)-/);
  const vexPath = join(ARTIFACTS, 'scanlens-triage.openvex.json');
  await writeFile(vexPath, vex.text);

  // Kept in this browser: a reload with the same files still honours it.
  assert.equal((await load(page)).failing, before.failing - 1);

  // Forget everything: the gate is back, and a reload has nothing.
  await page.getByTestId('forget-everything').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=gate]').dataset.failing) === n, before.failing);
  assert.equal((await load(page)).failing, before.failing);
  assert.equal(await page.getByTestId('export-openvex').count(), 0);
  assert.deepEqual(problems.page, []);
  await context.close();

  // A fresh browser: dropping the OpenVEX back with the files brings the decision back.
  for (const [file, label] of [[vexPath, 'OpenVEX'], [rulesPath, 'policy rules']]) {
    const fresh = await openPage(env.browser, env.server.origin);
    const again = await load(fresh.page, [file]);
    assert.equal(again.failing, before.failing - 1, label);
    await fresh.page.getByTestId('export-openvex').waitFor();
    assert.match(await fresh.page.getByTestId('export-openvex').textContent(), /\(1\)/, label);
    // Kept: a reload without the file still honours it.
    assert.equal((await load(fresh.page)).failing, before.failing - 1, label);
    await fresh.context.close();
  }
});
