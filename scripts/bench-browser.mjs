// The browser benchmark of issue #8 (not part of `make test`): seeded inputs, the release app
// in headless Chromium (playwright-core), and a table (plus bench-results.json) of:
//   drop → dashboard, worker ingest MB/s against JSON.parse MB/s on the same bytes in the same
//   page, the longest main-thread task while loading, wasm memory after loading as a multiple
//   of the input, filter keystroke → table at 1,000,000 findings, the first-load bundle, and
//   the native `scanlens summary` time (against `sarif summary` when sarif-tools is installed).
//
//   node scripts/bench-browser.mjs [--scale 1] [--skip-huge] [--only sarif-pretty,trivy]
//                                  [--settle 1000]
//
// --scale multiplies every input size (0.1 for a quick run); --skip-huge leaves out the
// 600 MB SARIF; --only measures the named inputs alone and skips the CLI comparison; --settle
// is how long after the page has gone quiet the file is dropped (ms; a person takes longer).
// Inputs are written to target/bench-inputs/ (seeded: the same bytes each run).
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch, serve } from '../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const SCALE = Number(option('--scale', '1'));
const SKIP_HUGE = args.includes('--skip-huge');
const ONLY = option('--only', '').split(',').filter(Boolean);
// How long after the page has gone quiet the file is dropped (--settle 0: at once).
const SETTLE_MS = Number(option('--settle', '1000'));
const DIR = resolve('target/bench-inputs');
const DIST = resolve('dist');
const MB = 1e6;

// --- Seeded inputs ------------------------------------------------------------------------
function rng(seed) {
  let s = BigInt(seed) || 1n;
  return () => {
    s ^= (s << 13n) & 0xffffffffffffffffn;
    s ^= s >> 7n;
    s ^= (s << 17n) & 0xffffffffffffffffn;
    return Number(s & 0xffffffffn);
  };
}
const WORDS = ['user', 'input', 'flows', 'into', 'query', 'without', 'sanitising', 'the', 'value', 'from', 'request', 'handler', 'path', 'template', 'render', 'token', 'secret', 'buffer', 'length', 'check', 'unsafe', 'call', 'file', 'open'];
const sentence = (next, n) => Array.from({ length: n }, () => WORDS[next() % WORDS.length]).join(' ');

/** Writes a file in chunks; `parts` yields strings. */
function writeChunks(path, parts) {
  const fd = openSync(path, 'w');
  let buffer = '';
  for (const part of parts) {
    buffer += part;
    if (buffer.length > 1 << 22) {
      writeSync(fd, buffer);
      buffer = '';
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
}

/** A SARIF log of about `bytes` (or exactly `results` results), pretty or minified. */
function sarif(path, { bytes = 0, results = 0, pretty = false, seed = 7 }) {
  const next = rng(seed);
  const rules = Array.from({ length: 200 }, (_, i) => ({
    id: `rule/${i}`,
    name: `Rule${i}`,
    shortDescription: { text: sentence(next, 6) },
    help: { text: sentence(next, 60), markdown: `# Rule ${i}\n\n${sentence(next, 60)}` },
    properties: { 'security-severity': String((next() % 100) / 10), tags: ['security', `external/cwe/cwe-${next() % 900}`] },
  }));
  const indent = pretty ? 2 : undefined;
  const head = JSON.stringify({ version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json', runs: [{ tool: { driver: { name: 'BenchQL', version: '1.0.0', rules } }, results: [] }] }, null, indent);
  const [before, after] = head.split('"results": []').length === 2 ? head.split('"results": []') : head.split('"results":[]');
  let written = before.length;
  function* body() {
    yield before + (pretty ? '"results": [\n' : '"results":[');
    for (let i = 0; results ? i < results : written < bytes; i++) {
      const rule = next() % rules.length;
      const result = {
        ruleId: `rule/${rule}`,
        ruleIndex: rule,
        level: ['error', 'warning', 'note'][next() % 3],
        message: { text: sentence(next, 12) },
        locations: [{ physicalLocation: { artifactLocation: { uri: `src/module${next() % 500}/file${next() % 50}.go` }, region: { startLine: 1 + (next() % 900), startColumn: 1 + (next() % 80) } } }],
        partialFingerprints: { primaryLocationLineHash: (next().toString(16) + next().toString(16)).padStart(16, '0') + ':1' },
      };
      const text = (i ? (pretty ? ',\n' : ',') : '') + JSON.stringify(result, null, indent);
      written += text.length;
      yield text;
    }
    yield (pretty ? '\n]' : ']') + after;
  }
  writeChunks(path, body());
}

/** A Trivy JSON report of about `bytes`. */
function trivy(path, { bytes, seed = 11 }) {
  const next = rng(seed);
  let written = 0;
  function* body() {
    yield '{"SchemaVersion":2,"ArtifactName":"ghcr.io/acme/bench:1","ArtifactType":"container_image","Results":[{"Target":"ghcr.io/acme/bench:1 (alpine 3.19)","Class":"os-pkgs","Type":"alpine","Vulnerabilities":[';
    for (let i = 0; written < bytes; i++) {
      const v = {
        VulnerabilityID: `CVE-20${10 + (next() % 15)}-${10000 + (next() % 89999)}`,
        PkgName: `pkg${next() % 3000}`,
        InstalledVersion: `1.${next() % 20}.${next() % 10}`,
        FixedVersion: `1.${next() % 20}.${10 + (next() % 10)}`,
        Severity: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'][next() % 5],
        Title: sentence(next, 8),
        Description: sentence(next, 40),
        References: [`https://example.com/advisory/${next()}`],
      };
      const text = (i ? ',' : '') + JSON.stringify(v);
      written += text.length;
      yield text;
    }
    yield ']}]}';
  }
  writeChunks(path, body());
}

function inputs() {
  mkdirSync(DIR, { recursive: true });
  let list = [
    ['sarif-pretty.sarif', (p) => sarif(p, { bytes: 100 * MB * SCALE, pretty: true })],
    ['sarif-minified.sarif', (p) => sarif(p, { bytes: 100 * MB * SCALE })],
    ['trivy.json', (p) => trivy(p, { bytes: 100 * MB * SCALE })],
    ['million.sarif', (p) => sarif(p, { results: Math.round(1_000_000 * SCALE), seed: 13 })],
  ];
  if (!SKIP_HUGE) list.push(['huge.sarif', (p) => sarif(p, { bytes: 600 * MB * SCALE, seed: 17 })]);
  if (ONLY.length) list = list.filter(([name]) => ONLY.some((o) => name.startsWith(o)));
  const out = {};
  for (const [name, make] of list) {
    const path = join(DIR, `${SCALE}-${name}`);
    if (!existsSync(path)) {
      process.stderr.write(`generating ${path}\n`);
      make(path);
    }
    out[name] = path;
  }
  return out;
}

// --- Measurements -------------------------------------------------------------------------
async function measure(browser, server, path, { filter = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  if (process.env.BENCH_CONSOLE) page.on('console', (m) => { if (m.text().startsWith('TIMING')) process.stderr.write(`${Date.now() % 100000} ${m.text()}\n`); });
  await page.addInitScript(() => {
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(server.url);
  await page.getByTestId('drop-zone').waitFor();
  // The drop comes from a person: after the page has loaded, gone quiet (the parsing worker is
  // fetched once the page is idle) and a moment has passed to pick the file.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(SETTLE_MS);
  await page.evaluate(() => { window.__longest = 0; });
  const start = Date.now();
  await page.getByTestId('file-input').setInputFiles(path);
  await page.waitForFunction(() => document.querySelector('[data-testid=file-row]')
    && !document.querySelector('[data-testid=file-row] [data-testid=reading]')
    && document.querySelector('[data-testid=gate]'), null, { timeout: 600_000 });
  const dashboard = Date.now() - start;
  // The file's SHA-256 follows the dashboard (exports wait for it): timed on its own.
  await page.waitForFunction(() => !document.querySelector('[data-testid=file-row][data-hashing]'), null, { timeout: 600_000 });
  const hashed = Date.now() - start;
  const row = await page.getByTestId('file-row').first().evaluate((el) => ({ ms: Number(el.dataset.readMs), memory: Number(el.dataset.memory) }));
  const longest = await page.evaluate(() => window.__longest);
  const size = statSync(path).size;
  const result = { file: path.split('/').pop(), mb: +(size / MB).toFixed(1), drop_to_dashboard_ms: dashboard, drop_to_hash_ms: hashed, worker_ingest_ms: row.ms, worker_mb_s: +(size / MB / (row.ms / 1000)).toFixed(1), longest_main_thread_task_ms: Math.round(longest), wasm_memory_x_input: +(row.memory / size).toFixed(2) };
  // JSON.parse on the same bytes, in the same page (served from the same origin).
  if (size < 500 * MB) {
    const url = server.url + 'bench/' + path.split('/').pop();
    result.json_parse_mb_s = await page.evaluate(async (u) => {
      const text = await (await fetch(u)).text();
      const t = performance.now();
      JSON.parse(text);
      return +(text.length / 1e6 / ((performance.now() - t) / 1000)).toFixed(1);
    }, url);
    result.ingest_vs_json_parse = +(result.worker_mb_s / result.json_parse_mb_s).toFixed(2);
  }
  if (filter) {
    const times = [];
    for (const word of ['module42', 'file7', 'sanitising']) {
      const before = await page.getByTestId('row-count').textContent();
      const t = Date.now();
      await page.getByTestId('search').fill(word);
      await page.waitForFunction((b) => document.querySelector('[data-testid=row-count]').textContent !== b, before, { timeout: 60_000 });
      times.push(Date.now() - t);
      await page.getByTestId('search').fill('');
      await page.waitForFunction((b) => document.querySelector('[data-testid=row-count]').textContent === b, before, { timeout: 60_000 });
    }
    result.filter_keystroke_ms = times;
  }
  await context.close();
  return result;
}

function bundle() {
  let firstLoad = 0;
  for (const name of readdirSync(DIST)) {
    if (/\.(wasm|js|css)$/.test(name) && !name.startsWith('scanlens-worker')) firstLoad += gzipSync(readFileSync(join(DIST, name)), { level: 9 }).length;
  }
  return +(firstLoad / 1000).toFixed(1);
}

function cliSummary(path) {
  execFileSync('cargo', ['build', '--release', '--locked', '-q', '-p', 'scanlens-cli'], { stdio: 'inherit' });
  // The median of several runs: a fresh process's first touch of memory varies on a VM.
  const time = (cmd, argv, runs) => {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      execFileSync(cmd, argv, { stdio: 'ignore', maxBuffer: 1 << 30 });
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return times.sort((a, b) => a - b)[runs >> 1];
  };
  const out = { scanlens_summary_ms: Math.round(time('target/release/scanlens', ['summary', path], 7)) };
  try {
    execFileSync('sarif', ['--version'], { stdio: 'ignore' });
    out.sarif_tools_summary_ms = Math.round(time('sarif', ['summary', path], 3));
    out.speedup = +(out.sarif_tools_summary_ms / out.scanlens_summary_ms).toFixed(1);
  } catch {
    out.sarif_tools_summary_ms = 'not installed (pip install sarif-tools)';
  }
  return out;
}

// --- Run ----------------------------------------------------------------------------------
const files = inputs();
if (!existsSync(join(DIST, 'index.html'))) execFileSync('trunk', ['build', '--release'], { stdio: 'inherit' });
// Serve dist/ with the inputs under bench/ (same origin, for the JSON.parse comparison).
const site = resolve('target/bench-site');
execFileSync('rm', ['-rf', site]);
execFileSync('cp', ['-r', DIST, site]);
mkdirSync(join(site, 'bench'));
for (const path of Object.values(files)) execFileSync('ln', ['-s', path, join(site, 'bench', path.split('/').pop())]);
const browser = await launch();
const server = await serve(site, '/');
const results = { scale: SCALE, date: new Date().toISOString(), machine: `${execFileSync('nproc').toString().trim()} cores`, inputs: [] };
for (const [name, path] of Object.entries(files)) {
  process.stderr.write(`measuring ${name}\n`);
  try {
    results.inputs.push(await measure(browser, server, path, { filter: name === 'million.sarif' }));
  } catch (e) {
    results.inputs.push({ file: path.split('/').pop(), error: String(e).split('\n')[0] });
  }
}
await browser.close();
await server.close();
results.first_load_kb_gz = bundle();
if (!ONLY.length) results.cli = cliSummary(files['sarif-minified.sarif']);
writeFileSync('bench-results.json', JSON.stringify(results, null, 2) + '\n');

const columns = ['file', 'mb', 'drop_to_dashboard_ms', 'drop_to_hash_ms', 'worker_mb_s', 'json_parse_mb_s', 'ingest_vs_json_parse', 'longest_main_thread_task_ms', 'wasm_memory_x_input', 'filter_keystroke_ms', 'error'];
console.log(columns.join('\t'));
for (const r of results.inputs) console.log(columns.map((c) => (r[c] === undefined ? '' : Array.isArray(r[c]) ? r[c].join('/') : r[c])).join('\t'));
console.log(`first load: ${results.first_load_kb_gz} KB gzipped`);
console.log(`CLI: ${JSON.stringify(results.cli)}`);
console.log('written: bench-results.json');
