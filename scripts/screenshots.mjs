// Regenerates the README's screenshots from the release build on the demo data:
//   trunk build --release && node scripts/screenshots.mjs
import { mkdir, readFile } from 'node:fs/promises';
import { launch, openPage, serve } from '../tests/e2e/harness.mjs';

const out = 'docs/images';
await mkdir(out, { recursive: true });
const server = await serve();
const browser = await launch();
try {
  const { page } = await openPage(browser, server.origin, { viewport: { width: 1280, height: 1000 }, colorScheme: 'light' });
  await page.goto(server.url + '?demo');
  const manifest = JSON.parse(await readFile('public/demo/index.json', 'utf8'));
  const count = 1 + manifest.builds.reduce((n, b) => n + b.artifacts.length, 0);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=file-row]').length === n
    && document.querySelectorAll('[data-testid=file-row] [data-testid=reading]').length === 0
    && document.querySelectorAll('[data-testid=file-row][data-hashing]').length === 0, count, { timeout: 30_000 });
  await page.getByTestId('trends').waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${out}/dashboard.png` });
  await page.getByTestId('row').nth(2).click();
  await page.getByTestId('detail').waitFor();
  await page.getByTestId('explorer').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${out}/detail.png` });
  await page.keyboard.press('Escape');
  await page.getByTestId('tab-components').click();
  await page.getByTestId('component-name').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/component.png` });
  console.log(`screenshots written to ${out}/`);
} finally {
  await browser.close();
  await server.close();
}
