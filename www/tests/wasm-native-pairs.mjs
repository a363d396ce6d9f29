// The wasm/native ratio of the population call with kinetic binding, on a host whose speed
// drifts by up to 1.5× within minutes: the browser page (www/dist/bench.html?quick) and the
// native example (examples/population_call.rs) time the same scenario JSON in turn, a few
// hundred milliseconds each, pair after pair (in ABBA order, so a steady drift falls on both
// alike), and the per-pair ratios are reported. Nothing is asserted.
//
// `node tests/wasm-native-pairs.mjs [--pairs 12] [--reps 100] [--method exact_kinetic|dopri5] [--out f.json]`
// (after `npm run build`; builds the native example in release mode).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, serve, ROOT } from './helpers.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const pairs = Number(arg('--pairs', 12));
const method = arg('--method', 'exact_kinetic');
const out = arg('--out', null);
const REPS = Number(arg('--reps', 100)); // calls of 100 subjects per timing: a few hundred ms each

execFileSync('cargo', ['build', '--release', '--quiet', '--example', 'population_call'], { cwd: ROOT, stdio: 'inherit' });
const native = join(ROOT, 'target', 'release', 'examples', 'population_call');
const server = await serve();
const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(server.url + 'bench.html?quick');
  await page.waitForFunction(() => window.__popCall !== undefined, null, { timeout: 300000 });
  const json = await page.evaluate((m) => window.__popCall.json[m], method);
  const file = join(mkdtempSync(join(tmpdir(), 'pairs-')), 'scenario.json');
  writeFileSync(file, json);
  const wasm = () => page.evaluate(([m, r]) => window.__popCall.time(m, r), [method, REPS]);
  const nat = () => Number(execFileSync(native, [file, String(REPS)], { encoding: 'utf8' }).trim());
  await wasm(); // warm-up
  nat();
  const rows = [];
  for (let i = 0; i < pairs; i++) {
    let w, n;
    if (i % 2 === 0) {
      w = await wasm();
      n = nat();
    } else {
      n = nat();
      w = await wasm();
    }
    rows.push({ wasmUs: w, nativeUs: n, ratio: w / n });
    console.log(`pair ${i + 1}: wasm ${w.toFixed(2)} µs, native ${n.toFixed(2)} µs, ratio ${(w / n).toFixed(3)}`);
  }
  const r = rows.map((x) => x.ratio).sort((a, b) => a - b);
  const median = r.length % 2 ? r[(r.length - 1) / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
  const summary = { method, pairs, median, min: r[0], max: r[r.length - 1], rows, userAgent: await page.evaluate(() => navigator.userAgent) };
  console.log(`wasm/native (${method}): median ${median.toFixed(3)}, range ${r[0].toFixed(3)}–${r[r.length - 1].toFixed(3)} over ${pairs} pairs`);
  if (out) writeFileSync(out, JSON.stringify(summary, null, 2));
} finally {
  await browser.close();
  server.stop();
}
