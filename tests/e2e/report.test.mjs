// The self-contained HTML report in real Chromium: the page's "Download report" equals
// `scanlens report --html` byte for byte; opened with JavaScript disabled it shows the
// verdict, the charts and the manifest, whose hashes are `sha256sum`'s; Chromium's PDF of it
// holds the verdict and every hash; printing the page hides the controls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { appReady, ARTIFACTS, cli, cspViolations, FIXTURES, openPage, shared } from './harness.mjs';

const env = shared();
const DEMO = resolve('public/demo');
// A fixed clock on the page, so its report names the time the CLI is given.
const GENERATED = Date.parse('2026-11-27T12:00:00Z');

/** The demo's files in the order the page loads them: the policy, then build by build. */
async function demoFiles() {
  const manifest = JSON.parse(await readFile(join(DEMO, 'index.json'), 'utf8'));
  return [manifest.policy, ...manifest.builds.flatMap((b) => b.artifacts)];
}

/** Every text item of a PDF, pages in order, joined without separators. */
async function pdfText(bytes) {
  const doc = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, verbosity: 0 }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    text += content.items.map((item) => item.str).join('');
  }
  return { pages: doc.numPages, text };
}

async function downloadReport() {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await page.addInitScript((t) => { Date.now = () => t; }, GENERATED);
  await page.goto(env.server.url + '?demo');
  await appReady(page);
  await page.getByTestId('gate').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=gate-build]')?.textContent.includes('latest of 6')
    && !document.querySelector('[data-testid=gate-build]').textContent.includes('still reading'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-html').click()]);
  assert.equal(download.suggestedFilename(), 'scanlens-report.html');
  const bytes = await readFile(await download.path());
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
  assert.deepEqual(await cspViolations(page), []);
  return { context, page, bytes };
}

test('the page\'s report and the CLI\'s are the same bytes, and every hash is sha256sum\'s', async () => {
  const { context, bytes } = await downloadReport();
  await context.close();
  const files = await demoFiles();
  const fromCli = cli(['report', '--html', '-', '--generated', new Date(GENERATED).toISOString(), ...files], { text: true, cwd: DEMO });
  assert.equal(bytes.toString('utf8'), fromCli);
  await writeFile(join(ARTIFACTS, 'report.html'), bytes);

  // The manifest lists every input with the hash sha256sum gives for it.
  const sums = Object.fromEntries(execFileSync('sha256sum', files, { cwd: DEMO, encoding: 'utf8' })
    .trim().split('\n').map((line) => line.split(/\s+/)).map(([sum, name]) => [name, sum]));
  const html = bytes.toString('utf8');
  for (const name of files) {
    assert.match(html, new RegExp(`<tr data-input="${name}"><td>${name}</td><td class="n">\\d+</td><td class="hash" data-sha256="${sums[name]}">`), name);
  }
  assert.match(html, new RegExp(`Policy</th><td>scanlens.toml · SHA-256 <span class="hash" data-sha256="${sums['scanlens.toml']}">`));
});

test('the page\'s JSON download is `scanlens export --json` byte for byte', async () => {
  const { context, page } = await downloadReport();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  assert.equal(download.suggestedFilename(), 'scanlens-model.json');
  const saved = await readFile(await download.path(), 'utf8');
  await context.close();
  const files = await demoFiles();
  assert.equal(saved, cli(['export', '--json', '-', '--generated', new Date(GENERATED).toISOString(), ...files], { text: true, cwd: DEMO }));
  const model = JSON.parse(saved);
  assert.equal(model.schema, 'scanlens-model/1');
  const gate = cliGateOfDemo();
  assert.equal(model.entries.length, gate.entries);
  assert.equal(model.gate.passed, gate.passed);
  assert.equal(model.policy.sha256, gate.policy_sha256);
  assert.equal(model.build.id, '106');
});

test('an export asked for while a file is still being hashed waits for its hash', async () => {
  // The dashboard comes before the file's SHA-256 (the worker hashes after sending it).
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await appReady(page);
  const file = join(FIXTURES, 'codeql/juice-shop-javascript-codeql-2.8.3.sarif');
  await page.getByTestId('file-input').setInputFiles(file);
  // Clicked in the same task that sees the row still hashing, so the request reaches the
  // worker before the hash is known.
  const clicked = page.waitForFunction(() => {
    const hashing = document.querySelector('[data-testid=gate]')
      && document.querySelector('[data-testid=file-row][data-hashing]');
    if (hashing) document.querySelector('[data-testid=export-json]').click();
    return Boolean(hashing);
  }, null, { polling: 5 });
  const [download] = await Promise.all([page.waitForEvent('download'), clicked]);
  const model = JSON.parse(await readFile(await download.path(), 'utf8'));
  const sum = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(/\s+/)[0];
  assert.deepEqual(model.inputs.map((i) => i.sha256), [sum]);
  assert.deepEqual(model.reports.map((r) => r.sha256), [sum]);
  await page.waitForFunction(() => !document.querySelector('[data-testid=file-row][data-hashing]'));
  const shown = await page.getByTestId('report').first().evaluate((el) => el.dataset.sha256);
  assert.equal(shown, sum);
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
  await context.close();
});

test('the report opens with JavaScript disabled: verdict, charts and manifest', async () => {
  const { context, bytes } = await downloadReport();
  await context.close();
  const offline = await env.browser.newContext({ javaScriptEnabled: false, offline: true });
  const page = await offline.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const path = join(ARTIFACTS, 'report-nojs.html');
  await writeFile(path, bytes);
  await page.goto('file://' + path);
  const gate = cliGateOfDemo();
  const verdict = page.locator('.verdict');
  assert.equal(await verdict.getAttribute('data-verdict'), gate.passed ? 'passed' : 'failed');
  assert.equal(await verdict.getAttribute('data-failing'), String(gate.failing.length));
  assert.match(await verdict.innerText(), gate.passed ? /^PASS: nothing open at or above high fails the build$/ : /^FAIL: \d+ findings? at or above/);
  // Two trend charts, inline SVG with a title each, drawn (bars present).
  const charts = page.locator('#trends figure svg');
  assert.equal(await charts.count(), 2);
  assert.equal(await charts.first().locator(':scope > title').textContent(), 'Open findings by severity, per build');
  assert.ok(await charts.first().locator('rect').count() > 6);
  // The trend table's last row is the counts table's open row.
  const lastBuild = await page.locator('[data-table=trend] tbody tr').last().locator('td').allInnerTexts();
  const open = await page.locator('[data-table=open] tbody tr, [data-table=open] tr').last().locator('td').allInnerTexts();
  assert.deepEqual(lastBuild.slice(1, 7), open.slice(1, 7));
  // The manifest: every demo file, the build, the generator.
  const inputs = await page.locator('[data-table=inputs] tr[data-input]').count();
  assert.equal(inputs, (await demoFiles()).length);
  const manifest = await page.locator('[data-table=manifest]').innerText();
  assert.match(manifest, /Build\s+106/);
  assert.match(manifest, /Generated\s+2026-11-27T12:00:00.000Z/);
  assert.match(manifest, /Generator\s+scanlens \d+\.\d+\.\d+/);
  // Every entry of the latest build is a row; the gate's entries are marked.
  const rows = await page.locator('[data-table=findings] tbody tr').count();
  assert.equal(rows, gate.entries);
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), []);
  await offline.close();
});

test('Chromium prints the report to PDF with the verdict and every manifest hash', async () => {
  const { context, page, bytes } = await downloadReport();
  const path = join(ARTIFACTS, 'report-print.html');
  await writeFile(path, bytes);
  await page.goto('file://' + path);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  await writeFile(join(ARTIFACTS, 'report.pdf'), pdf);
  const { pages, text } = await pdfText(pdf);
  assert.ok(pages >= 6, `one page or more per section, got ${pages}`);
  const gate = cliGateOfDemo();
  assert.ok(text.includes(gate.passed ? 'PASS: nothing open at or above high fails the build' : `FAIL: ${gate.failing.length} finding`));
  // Page headers name the build, and each component's pages name it.
  assert.ok(text.includes('build 106'));
  assert.ok(text.includes('build 106 · component shop-api'));
  assert.match(text, /page 1 of \d+/);
  const squeezed = text.replace(/\s+/g, '');
  for (const [, sum] of bytes.toString('utf8').matchAll(/data-input="[^"]+"><td>[^<]+<\/td><td class="n">\d+<\/td><td class="hash" data-sha256="([0-9a-f]{64})"/g)) {
    assert.ok(squeezed.includes(sum), `hash ${sum} in the PDF`);
  }
  await context.close();
});

test('printing the page hides the controls and keeps the verdict', async () => {
  const { context, page } = await downloadReport();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByTestId('export-html').isVisible(), false);
  assert.equal(await page.getByTestId('drop-zone').isVisible(), false);
  assert.equal(await page.getByTestId('tab-overview').isVisible(), false);
  const { text } = await pdfText(await page.pdf({ format: 'A4' }));
  const gate = cliGateOfDemo();
  assert.ok(text.includes(gate.passed ? 'PASS: nothing open at or above high fails the build' : `FAIL: ${gate.failing.length} finding`), text.slice(0, 400));
  assert.ok(!text.includes('Download CSV'));
  assert.ok(!text.includes('Load demo'));
  await context.close();
});

/** `scanlens gate --format json` of the demo's latest build, with its policy. */
function cliGateOfDemo() {
  const manifest = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8'));
  const latest = manifest.builds.at(-1).artifacts;
  return cli(['gate', '--format', 'json', '--policy', 'scanlens.toml', ...latest], { cwd: DEMO });
}
