// Trunk post_build hook: replace CSP_INLINE_SCRIPT_HASHES in the staged index.html with the
// sha256 of every inline <script> Trunk wrote, so the CSP never needs 'unsafe-inline'.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('csp-hash: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)');
  process.exit(1);
}
const file = join(dir, 'index.html');
const html = readFileSync(file, 'utf8');
const hashes = [];
for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
}
const placeholders = html.split('CSP_INLINE_SCRIPT_HASHES').length - 1;
if (placeholders !== 1) {
  console.error(`csp-hash: index.html must hold the CSP_INLINE_SCRIPT_HASHES placeholder exactly once (found ${placeholders})`);
  process.exit(1);
}
let out = html.replace('CSP_INLINE_SCRIPT_HASHES', [...new Set(hashes)].join(' '));
// `?src=` and `?manifest=` read this site's own origin only. A deployer who publishes reports
// elsewhere lists those origins at build time: SCANLENS_CONNECT_SRC="https://a.example https://b.example".
const extra = (process.env.SCANLENS_CONNECT_SRC ?? '').split(/\s+/).filter(Boolean);
for (const origin of extra) {
  if (!/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(origin)) {
    console.error(`csp-hash: SCANLENS_CONNECT_SRC: ${JSON.stringify(origin)} is not an https origin (https://host[:port])`);
    process.exit(1);
  }
}
if (extra.length) {
  if (!out.includes("connect-src 'self';")) {
    console.error("csp-hash: index.html's CSP must say connect-src 'self'; to add origins to");
    process.exit(1);
  }
  out = out.replace("connect-src 'self';", `connect-src 'self' ${extra.join(' ')};`);
}
writeFileSync(file, out);
console.log(`csp-hash: ${hashes.length} inline script(s) hashed into the CSP; connect-src 'self'${extra.map((o) => ' ' + o).join('')}`);
