// Getting data in, in real Chromium against the release build: files go to the parsing
// worker, and the numbers on the page are the numbers the CLI computes for the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ARTIFACTS, FIXTURES, appReady, cli, cliGate, cspViolations, filesRead, gateOnPage, openPage, reportsOnPage, shared, zip } from './harness.mjs';

const env = shared();

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info', 'unknown'];

/** The CLI's `summary --json` file entry in the page's shape. */
const fromCli = (f) => ({
  sha256: f.sha256,
  format: f.format ?? '',
  findings: f.findings,
  open: SEVERITIES.map((s) => f.severity[s]),
  suppressed: f.suppressed,
  non_findings: f.non_findings,
});
const numbers = ({ sha256, format, findings, open, suppressed, non_findings }) =>
  ({ sha256, format, findings, open, suppressed, non_findings });

async function noProblems(page, problems) {
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(problems, { console: [], page: [], foreign: [] });
}

test('each file shows the numbers `scanlens summary --json` gives, and the gate is `scanlens gate`', async () => {
  const files = [
    'codeql/defectdojo-codeql-2.5.4.sarif',
    'trivy/alpine-310-image.json',
    'grype/busybox-epss-risk-v0.94.json',
    'gosec/defectdojo-many-vulns.json',
    'govulncheck/expense-tracker-v1.1.4-stream.json',
    'dependabot/psychomodels-alerts-129-mixed-states.json',
    'github-code-scanning/greentic-flow-alerts-all-68.json',
    'semgrep/juice-shop-semgrep-oss-1.69.sarif',
    'trivy/helm-k8s-misconfig.json',
  ].map((f) => join(FIXTURES, f));
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await appReady(page);
  await page.getByTestId('file-input').setInputFiles(files);
  await filesRead(page, files.length);

  const expected = cli(['summary', '--json', ...files]).files.map(fromCli);
  const shown = (await reportsOnPage(page)).map(numbers);
  const bySha = (a, b) => a.sha256.localeCompare(b.sha256);
  assert.deepEqual(shown.sort(bySha), expected.sort(bySha));
  assert.equal(expected.reduce((n, f) => n + f.findings, 0), 483, 'a real load of nine formats');

  const verdict = cliGate(files);
  const gate = await gateOnPage(page);
  assert.deepEqual(
    { passed: gate.passed, fail_on: gate.fail_on, failing: gate.failing, findings: gate.findings, entries: gate.entries, merged: gate.merged, excused: gate.excused },
    { passed: verdict.passed, fail_on: verdict.fail_on, failing: verdict.failing.length, findings: verdict.findings, entries: verdict.entries, merged: verdict.merged, excused: verdict.excused.length },
  );
  assert.match(gate.text, verdict.passed ? /^PASS/m : new RegExp(`FAIL: ${verdict.failing.length} findings at or above high fail the build`));
  await page.screenshot({ path: join(ARTIFACTS, 'dashboard-fixtures.png'), fullPage: true });
  await noProblems(page, problems);
  await context.close();
});

test('a CI artifact zip opens as the reports inside it, and a broken file costs only itself', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'scanlens-e2e-'));
  const trivy = await readFile(join(FIXTURES, 'trivy/alpine-310-image.json'));
  const gosec = await readFile(join(FIXTURES, 'gosec/defectdojo-many-vulns.json'));
  const artifact = join(dir, 'security-reports.zip');
  await writeFile(artifact, zip([['scans/trivy.json', trivy], ['scans/gosec.json', gosec]]));
  const broken = join(dir, 'truncated-grype.json');
  const grype = await readFile(join(FIXTURES, 'grype/busybox-epss-risk-v0.94.json'));
  await writeFile(broken, grype.subarray(0, grype.length / 2));
  const good = join(FIXTURES, 'semgrep/juice-shop-semgrep-oss-1.69.sarif');

  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await appReady(page);
  await page.getByTestId('file-input').setInputFiles([artifact, broken, good]);
  await filesRead(page, 3);

  const shown = await reportsOnPage(page);
  const rows = page.getByTestId('file-row');
  const zipReports = await rows.nth(0).getByTestId('report').evaluateAll((els) => els.map((e) => e.dataset.name));
  assert.deepEqual(zipReports, ['security-reports.zip/scans/trivy.json', 'security-reports.zip/scans/gosec.json']);
  const expected = cli(['summary', '--json', artifact, good]).files.map(fromCli);
  const ok = shown.filter((r) => !r.name.startsWith('truncated')).map(numbers);
  assert.deepEqual(ok.sort((a, b) => a.sha256.localeCompare(b.sha256)), expected.sort((a, b) => a.sha256.localeCompare(b.sha256)));

  const bad = shown.find((r) => r.name === 'truncated-grype.json');
  assert.ok(bad, 'the broken file is listed');
  const cliBad = cli(['summary', '--json', broken]).files[0];
  assert.deepEqual(bad.diagnostics, cliBad.diagnostics.map((d) => `${d.level}: ${d.message}`));
  assert.ok(bad.diagnostics.some((d) => d.startsWith('error: ')), bad.diagnostics.join('\n'));
  assert.equal((await gateOnPage(page)).findings, cliGate([artifact, broken, good]).findings);
  await noProblems(page, problems);
  await context.close();
});

test('a file removed while it is still being read stays removed: the worker takes messages in order', async () => {
  // Big enough that the worker is still reading it (it waits for the browser there) when the
  // Remove comes: a Remove handled before the file would leave its findings in for good.
  const dir = await mkdtemp(join(tmpdir(), 'scanlens-e2e-'));
  const big = join(dir, 'big.sarif');
  const result = (i) => JSON.stringify({
    ruleId: `r${i % 50}`, level: 'error', message: { text: `finding ${i} in a file that is removed` },
    locations: [{ physicalLocation: { artifactLocation: { uri: `src/f${i % 900}.go` }, region: { startLine: 1 + (i % 700) } } }],
  });
  const results = Array.from({ length: 400_000 }, (_, i) => result(i)).join(',\n');
  await writeFile(big, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Big"}},"results":[${results}]}]}`);
  const small = join(FIXTURES, 'trivy/alpine-310-image.json');

  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await appReady(page);
  await page.waitForLoadState('networkidle');
  await page.getByTestId('file-input').setInputFiles(big);
  await page.getByTestId('remove').click();
  await page.getByTestId('file-input').setInputFiles(small);
  await filesRead(page, 1);
  assert.equal(await page.getByTestId('file-row').locator('.file-name').textContent(), 'alpine-310-image.json');
  const verdict = cliGate([small]);
  const gate = await gateOnPage(page);
  assert.deepEqual({ findings: gate.findings, entries: gate.entries }, { findings: verdict.findings, entries: verdict.entries });
  await noProblems(page, problems);
  await context.close();
});

test('a policy dropped with the reports decides the gate; removing it restores the default', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'scanlens-e2e-'));
  const policy = join(dir, 'scanlens.toml');
  await writeFile(policy, '[gate]\nfail_on = "low"\n');
  const trivy = join(FIXTURES, 'trivy/alpine-310-image.json');
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await appReady(page);
  await page.getByTestId('file-input').setInputFiles([policy, trivy]);
  await filesRead(page, 2);
  await page.waitForFunction(() => document.querySelector('[data-testid=gate]')?.dataset.failOn === 'low');
  const strict = cliGate(['--policy', policy, trivy]);
  const gate = await gateOnPage(page);
  assert.equal(gate.failing, strict.failing.length);
  assert.equal(gate.passed, strict.passed);
  assert.match(await page.getByTestId('policy').textContent(), /policy: fail on low, 0 ignore rule\(s\)/);

  await page.getByRole('button', { name: `Remove ${basename(policy)}` }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=gate]')?.dataset.failOn === 'high');
  const relaxed = cliGate([trivy]);
  assert.equal((await gateOnPage(page)).failing, relaxed.failing.length);
  assert.notEqual(strict.failing.length, relaxed.failing.length, 'the policy made a difference');
  assert.equal(await page.getByTestId('file-row').count(), 1);
  await noProblems(page, problems);
  await context.close();
});

test('?demo opens the built-in demo: six builds, the latest one\'s gate as the CLI says', async () => {
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url + '?demo');
  const manifest = JSON.parse(await readFile('public/demo/index.json', 'utf8'));
  const count = 1 + manifest.builds.reduce((n, b) => n + b.artifacts.length, 0);
  await filesRead(page, count);
  await page.waitForFunction(() => /latest of 6/.test(document.querySelector('[data-testid=gate-build]')?.textContent ?? ''));
  const last = manifest.builds.at(-1);
  const verdict = cliGate(['--policy', 'public/demo/scanlens.toml', ...last.artifacts.map((a) => `public/demo/${a}`)]);
  const gate = await gateOnPage(page);
  assert.equal(gate.passed, verdict.passed);
  assert.equal(gate.entries, verdict.entries);
  assert.equal(gate.excused, verdict.excused.length);
  assert.match(gate.text, new RegExp(`Build ${last.id}, `));
  await page.screenshot({ path: join(ARTIFACTS, 'dashboard-demo.png'), fullPage: true });
  await noProblems(page, problems);
  await context.close();
});

test('a picked folder keeps its paths, so the build sidecars in it group the builds', async () => {
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await appReady(page);
  // public/demo/builds holds six folders, each with a scanlens-build.json sidecar.
  await page.getByTestId('folder-input').setInputFiles('public/demo/builds');
  const manifest = JSON.parse(await readFile('public/demo/index.json', 'utf8'));
  const count = manifest.builds.reduce((n, b) => n + b.artifacts.length, 0);
  await filesRead(page, count);
  const names = await page.locator('[data-testid=file-row] .file-name').allTextContents();
  assert.ok(names.every((n) => /^builds\/10\d\//.test(n)), names.slice(0, 3).join(', '));
  await page.waitForFunction(() => /latest of 6/.test(document.querySelector('[data-testid=gate-build]')?.textContent ?? ''));
  assert.match(await page.getByTestId('gate-build').textContent(), /^Build 106, /);
  await noProblems(page, problems);
  await context.close();
});

test('pasted JSON text is read as a file; a paste into the search box is not', async () => {
  const text = await readFile(join(FIXTURES, 'trivy/alpine-310-image.json'), 'utf8');
  const { page, problems, context } = await openPage(env.browser, env.server.origin);
  await page.goto(env.server.url);
  await appReady(page);
  const paste = (content) => page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, content);
  await paste(text);
  await filesRead(page, 1);
  const [report] = await reportsOnPage(page);
  assert.equal(report.name, 'pasted-1.json');
  const expected = cli(['summary', '--json', join(FIXTURES, 'trivy/alpine-310-image.json')]).files[0];
  assert.deepEqual({ format: report.format, findings: report.findings, open: report.open }, { format: expected.format, findings: expected.findings, open: SEVERITIES.map((s) => expected.severity[s]) });
  // Pasting into the search box searches; it loads nothing.
  await page.getByTestId('search').focus();
  await page.getByTestId('search').evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, text);
  await page.waitForTimeout(200);
  assert.equal(await page.getByTestId('file-row').count(), 1);
  await noProblems(page, problems);
  await context.close();
});

test('Download CSV saves the latest build\'s findings exactly as `scanlens export --csv` writes them', async () => {
  const names = ['trivy/alpine-310-image.json', 'grype/busybox-epss-risk-v0.94.json', 'semgrep/juice-shop-semgrep-oss-1.69.sarif'];
  const { page, problems, context } = await openPage(env.browser, env.server.origin, { acceptDownloads: true });
  await page.goto(env.server.url);
  await appReady(page);
  await page.getByTestId('file-input').setInputFiles(names.map((n) => join(FIXTURES, n)));
  await filesRead(page, names.length);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  assert.equal(download.suggestedFilename(), 'scanlens-findings.csv');
  const saved = await readFile(await download.path(), 'utf8');
  // The page names files by their base name: run the CLI beside them.
  const dirs = [...new Set(names.map((n) => n.split('/')[0]))];
  const outputs = dirs.map((d) => cli(['export', '--csv', '-', ...names.filter((n) => n.startsWith(`${d}/`)).map((n) => n.split('/')[1])], { text: true, cwd: join(FIXTURES, d) }));
  const header = outputs[0].split('\r\n')[0];
  const rows = (text) => text.split('\r\n').slice(1).filter(Boolean);
  assert.equal(saved.split('\r\n')[0], header);
  assert.deepEqual(rows(saved).sort(), outputs.flatMap(rows).sort());
  assert.equal(rows(saved).length, 4 + 15 + 77, 'every finding of the three files');
  await noProblems(page, problems);
  await context.close();
});

test('Download merged SARIF saves what `scanlens merge` writes for the same files and policy', async () => {
  const names = ['trivy/alpine-310-image.json', 'grype/busybox-epss-risk-v0.94.json'];
  const { page, problems, context } = await openPage(env.browser, env.server.origin, { acceptDownloads: true });
  await page.goto(env.server.url);
  await appReady(page);
  await page.getByTestId('file-input').setInputFiles(names.map((n) => join(FIXTURES, n)));
  await filesRead(page, names.length);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-sarif').click()]);
  assert.equal(download.suggestedFilename(), 'scanlens-merged.sarif');
  const saved = await readFile(await download.path(), 'utf8');
  // The page knows files by base name: write the CLI's log beside copies named the same.
  const dir = await mkdtemp(join(tmpdir(), 'scanlens-merge-'));
  for (const n of names) await writeFile(join(dir, basename(n)), await readFile(join(FIXTURES, n)));
  cli(['merge', '-o', 'merged.sarif', ...names.map((n) => basename(n))], { text: true, cwd: dir });
  assert.equal(saved, await readFile(join(dir, 'merged.sarif'), 'utf8'));
  const log = JSON.parse(saved);
  assert.equal(log.version, '2.1.0');
  assert.ok(log.runs.reduce((n, r) => n + r.results.length, 0) > 0);
  await noProblems(page, problems);
  await context.close();
});
