// Shared end-to-end harness: a static server for the release dist/ on loopback, and a Debian
// Chromium driven by playwright-core that records every console error, page error, CSP
// violation and request to another origin, so each test can assert there were none.
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { after, before } from 'node:test';
import { createServer } from 'node:http';
import { deflateRawSync } from 'node:zlib';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const DIST = resolve(process.env.SCANLENS_DIST ?? 'dist');
export const FIXTURES = resolve(process.env.SCANLENS_FIXTURES ?? '../shared/fixtures');
export const ARTIFACTS = resolve(process.env.SCANLENS_TEST_ARTIFACTS ?? 'test-artifacts');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
};

/** Serves `root` under the URL path `base` (e.g. '/' or '/scanlens/') on 127.0.0.1. */
export async function serve(root = DIST, base = '/') {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (!url.pathname.startsWith(base)) {
      res.writeHead(404).end('not under ' + base);
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(base.length)) || 'index.html';
    let file = normalize(join(root, rel));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, url: origin + base, close: () => new Promise((ok) => server.close(ok)) };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * Opens a page that records problems: `problems.console` (errors), `problems.page` (uncaught),
 * `problems.foreign` (requests to any origin but `origin`), and, via `cspViolations(page)`,
 * every securitypolicyviolation event.
 */
export async function openPage(browser, origin, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const problems = { console: [], page: [], foreign: [] };
  page.on('console', (m) => { if (m.type() === 'error') problems.console.push(m.text()); });
  page.on('pageerror', (e) => problems.page.push(String(e)));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.protocol !== 'blob:' && u.origin !== origin) problems.foreign.push(r.url());
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { context, page, problems };
}

export const cspViolations = (page) => page.evaluate(() => window.__cspViolations);

/** Waits until the app has mounted (the drop zone is on screen). */
export const appReady = (page) => page.getByTestId('drop-zone').waitFor({ state: 'visible' });

/**
 * Runs the native CLI (built by the native test layer) and parses its JSON output. Exit 1
 * is a verdict (a failed gate, a failed control), not an error.
 */
export function cli(args, { text = false, cwd = undefined } = {}) {
  const parse = (out) => (text ? out : JSON.parse(out));
  const manifest = resolve('Cargo.toml');
  try {
    return parse(execFileSync('cargo', ['run', '--locked', '-q', '--manifest-path', manifest, '-p', 'scanlens-cli', '--', ...args], {
      encoding: 'utf8',
      cwd,
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    }));
  } catch (e) {
    if (e.status === 1) return parse(e.stdout);
    throw e;
  }
}

/** The `cli` JSON of `scanlens gate --format json`. */
export const cliGate = (args) => cli(['gate', '--format', 'json', ...args]);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A zip archive (deflated entries) of `[name, bytes]` pairs, as CI artifact downloads are. */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, raw] of entries) {
    const data = deflateRawSync(raw);
    const nameBytes = Buffer.from(name);
    const crc = crc32(raw);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(raw.length, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(header, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += header.length + nameBytes.length + data.length;
  }
  const size = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** Waits until every listed file has its worker reply (no row still says "reading…") and its
 * SHA-256 (which follows the dashboard: no row is still hashing). */
export async function filesRead(page, count) {
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid=file-row]').length === n
      && document.querySelectorAll('[data-testid=file-row] [data-testid=reading]').length === 0
      && document.querySelectorAll('[data-testid=file-row][data-hashing]').length === 0,
    count,
    { timeout: 30_000 },
  );
}

/** The numbers each report line shows, keyed by SHA-256. */
export const reportsOnPage = (page) => page.$$eval('[data-testid=report]', (els) => els.map((el) => ({
  name: el.dataset.name,
  sha256: el.dataset.sha256,
  format: el.dataset.format,
  findings: Number(el.dataset.findings),
  open: el.dataset.open.split(',').map(Number),
  suppressed: Number(el.dataset.suppressed),
  non_findings: Number(el.dataset.nonFindings),
  diagnostics: [...el.querySelectorAll('.diagnostics li')].map((li) => li.textContent),
})));

/** The gate banner's numbers. */
export const gateOnPage = (page) => page.getByTestId('gate').evaluate((el) => ({
  passed: el.dataset.passed === 'true',
  fail_on: el.dataset.failOn,
  failing: Number(el.dataset.failing),
  findings: Number(el.dataset.findings),
  entries: Number(el.dataset.entries),
  merged: Number(el.dataset.merged),
  excused: Number(el.dataset.excused),
  text: el.innerText,
}));

/**
 * One Chromium and one loopback server of dist/ for a test file, started before its tests
 * and closed after them: `env.browser`, `env.server`.
 */
export function shared() {
  const env = {};
  before(async () => {
    env.browser = await launch();
    env.server = await serve();
    await mkdir(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
