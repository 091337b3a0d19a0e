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
writeFileSync(file, html.replace('CSP_INLINE_SCRIPT_HASHES', [...new Set(hashes)].join(' ')));
console.log(`csp-hash: ${hashes.length} inline script(s) hashed into the CSP`);
