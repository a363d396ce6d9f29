// The wasm/native ratio of the population call with kinetic binding, on a host whose speed
// drifts by up to 1.5× within minutes: the browser page (www/dist/bench.html?quick) and the
// native example (examples/population_call.rs) time the same scenario JSON in turn, a few
// hundred milliseconds each, pair after pair (in ABBA order, so a steady drift falls on both
// alike), and the per-pair ratios are reported. Each build of the population module (SIMD and
// plain, see src/engine/popwasm.ts) has a page of its own, timed in the same pairs. Nothing is
// asserted.
//
// `node tests/wasm-native-pairs.mjs [--pairs 12] [--reps 100] [--method exact_kinetic|dopri5]
//   [--builds simd,plain] [--out f.json]`
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
// the population module's builds to time (popwasm.ts): both by default
const builds = arg('--builds', 'simd,plain').split(',');
const REPS = Number(arg('--reps', 100)); // calls of 100 subjects per timing: a few hundred ms each

execFileSync('cargo', ['build', '--release', '--quiet', '--example', 'population_call'], { cwd: ROOT, stdio: 'inherit' });
const native = join(ROOT, 'target', 'release', 'examples', 'population_call');
const server = await serve();
const browser = await launch();
try {
  // one page per build of the population module (bench.html?pop=…), timed in turn with native
  const pages = {};
  for (const b of builds) {
    pages[b] = await (await browser.newContext()).newPage();
    await pages[b].goto(server.url + `bench.html?quick&pop=${b}`);
  }
  for (const b of builds) {
    await pages[b].waitForFunction(() => window.__popCall !== undefined, null, { timeout: 300000 });
    const got = await pages[b].evaluate(() => window.__popCall.build);
    if (got !== b) throw new Error(`bench.html?pop=${b} loaded the ${got} build (does this browser lack WebAssembly SIMD?)`);
  }
  const json = await pages[builds[0]].evaluate((m) => window.__popCall.json[m], method);
  const file = join(mkdtempSync(join(tmpdir(), 'pairs-')), 'scenario.json');
  writeFileSync(file, json);
  const wasm = (b) => pages[b].evaluate(([m, r]) => window.__popCall.time(m, r), [method, REPS]);
  const nat = () => Number(execFileSync(native, [file, String(REPS)], { encoding: 'utf8' }).trim());
  const timers = [['native', async () => nat()], ...builds.map((b) => [b, () => wasm(b)])];
  for (const [, f] of timers) await f(); // warm-up
  const rows = [];
  for (let i = 0; i < pairs; i++) {
    // forwards, then backwards (ABBA…), so a steady drift falls on every engine alike
    const order = i % 2 === 0 ? timers : [...timers].reverse();
    const us = {};
    for (const [name, f] of order) us[name] = await f();
    const row = { nativeUs: us.native };
    for (const b of builds) row[b] = { wasmUs: us[b], ratio: us[b] / us.native };
    if (builds.length === 2) row.simdOverPlain = us.simd / us.plain;
    rows.push(row);
    console.log(`pair ${i + 1}: native ${us.native.toFixed(2)} µs, ` + builds.map((b) => `wasm ${b} ${us[b].toFixed(2)} µs (${(us[b] / us.native).toFixed(3)})`).join(', '));
  }
  const stats = (v) => {
    const r = v.slice().sort((a, b) => a - b);
    const median = r.length % 2 ? r[(r.length - 1) / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
    return { median, min: r[0], max: r[r.length - 1] };
  };
  const summary = { method, pairs, rows, userAgent: await pages[builds[0]].evaluate(() => navigator.userAgent) };
  for (const b of builds) {
    summary[b] = stats(rows.map((x) => x[b].ratio));
    const { median, min, max } = summary[b];
    console.log(`wasm ${b}/native (${method}): median ${median.toFixed(3)}, range ${min.toFixed(3)}–${max.toFixed(3)} over ${pairs} pairs`);
  }
  if (builds.length === 2) {
    summary.simdOverPlain = stats(rows.map((x) => x.simdOverPlain));
    const { median, min, max } = summary.simdOverPlain;
    console.log(`wasm simd/plain: median ${median.toFixed(3)}, range ${min.toFixed(3)}–${max.toFixed(3)}`);
  }
  if (out) writeFileSync(out, JSON.stringify(summary, null, 2));
} finally {
  await browser.close();
  server.stop();
}
