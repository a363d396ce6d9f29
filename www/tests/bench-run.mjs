// Runs the browser benchmark page (www/dist/bench.html) in Chromium and prints window.__bench
// as JSON: `node tests/bench-run.mjs [--quick] [--out file.json]`. Used by
// scripts/wasm-opt-compare.sh; nothing is asserted.
import { writeFileSync } from 'node:fs';
import { launch, serve } from './helpers.mjs';

const quick = process.argv.includes('--quick');
const outAt = process.argv.indexOf('--out');
const server = await serve();
const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + 'bench.html' + (quick ? '?quick' : ''));
  await page.waitForFunction(() => window.__bench?.done === true, null, { timeout: 900000 });
  const bench = await page.evaluate(() => window.__bench);
  if (errors.length) throw new Error(errors.join('\n'));
  const text = JSON.stringify(bench, null, 2);
  if (outAt > 0) writeFileSync(process.argv[outAt + 1], text);
  console.log(text);
} finally {
  await browser.close();
  server.stop();
}
