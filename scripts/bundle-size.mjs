// Fails when the first-load bundle (wasm + js + css in dist/, gzip -9) exceeds the budget.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
const BUDGET = 350 * 1000;
let total = 0;
for (const name of readdirSync(dist).sort()) {
  if (!/\.(wasm|js|css)$/.test(name)) continue;
  const raw = readFileSync(join(dist, name));
  const gz = gzipSync(raw, { level: 9 }).length;
  total += gz;
  console.log(`  ${name.padEnd(48)} ${String(raw.length).padStart(9)} B raw ${String(gz).padStart(8)} B gzip`);
}
const verdict = total <= BUDGET ? 'within' : 'OVER';
console.log(`bundle: ${(total / 1000).toFixed(1)} KB gzipped, ${verdict} the ${BUDGET / 1000} KB budget`);
process.exit(total <= BUDGET ? 0 : 1);
