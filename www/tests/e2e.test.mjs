// End-to-end tests in headless Chromium (Debian's /usr/bin/chromium via playwright-core).
// Screenshots and the measured timings go to artifacts/ for a human to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serve, launch, ARTIFACTS, WWW, fixture, readFixture, nativeJson, maxRelDiff, presetScenario, stateHash, decodeHash } from './helpers.mjs';
import initPop, * as popWasm from '../src/pkg-pop/ketasim_pop.js';

let server;
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await initPop({ module_or_path: readFileSync(join(WWW, 'src', 'pkg-pop', 'ketasim_pop_bg.wasm')) });
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** Opens the page at `hash` and waits for the first render; collects console errors. */
async function open(hash = '', viewport = { width: 1280, height: 720 }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  const external = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) external.push(r.url());
  });
  const t0 = Date.now();
  await page.goto(server.url + hash);
  await page.waitForFunction(() => window.__ketasim?.ready === true, null, { timeout: 15000 });
  const loadMs = Date.now() - t0;
  return { page, context, errors, external, loadMs };
}

const readout = (page, i) => page.locator('#readouts > div').nth(i).locator('dd[data-k]').innerText();

async function rendersAfter(page, n, action) {
  await action();
  await page.waitForFunction((k) => window.__ketasim.renders > k, n, { timeout: 10000 });
}

test('the page loads without console errors or network requests and renders the default preset', async () => {
  const { page, context, errors, external, loadMs } = await open();
  assert.deepEqual(errors, []);
  assert.deepEqual(external, []);
  assert.equal(await page.locator('.uplot').count(), 3); // concentration, vitals (illustrative), occupancy
  assert.match(await readout(page, 0), /^\d+(\.\d+)? ng\/mL$/);
  assert.match(await page.locator('.disclaimer').innerText(), /Educational model/);
  assert.match(await page.locator('#chart-occ').innerText(), /model-derived/);
  assert.match(await page.locator('#timeline').innerText(), /Monitoring[\s\S]*Below 100 ng\/mL/);
  const first = await page.evaluate(() => window.__ketasim.perf.firstRenderMs);
  writeFileSync(join(ARTIFACTS, 'first-render.json'), JSON.stringify({ firstRenderMsSinceNavigation: first, loadToReadyMs: loadMs }, null, 2));
  await context.close();
});

test('changing the weight changes the Cmax readout', async () => {
  const { page, context } = await open();
  const before = await readout(page, 0);
  const n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.fill('#weight', '95'));
  const afterText = await readout(page, 0);
  assert.notEqual(afterText, before);
  assert.ok(parseFloat(afterText) > parseFloat(before), `${afterText} vs ${before}`);
  await context.close();
});

test('typing "1e9" fast into the weight runs no value on the way (no 1 kg); Enter and leaving the box run at once', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  // every simulation the page asks its engine for, with the weight and when (page time)
  await context.addInitScript(() => {
    window.__asked = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (m, ...rest) {
      if (m && m.op === 'simulate') {
        const w = /"weight_kg":([^,}]+)/.exec(JSON.stringify(m.args));
        if (w) window.__asked.push({ w: Number(w[1]), t: performance.now() });
      }
      return post.call(this, m, ...rest);
    };
    window.__keys = [];
    addEventListener('keydown', (e) => window.__keys.push({ key: e.key, t: performance.now() }), true);
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(server.url);
  await page.waitForFunction(() => window.__ketasim?.ready === true && window.__ketasim.shown()?.current, null, { timeout: 15000 });
  const before = await page.evaluate(() => window.__ketasim.shown().result.scenario.patient.weight_kg);
  // every run shown, frame by frame
  await page.evaluate(() => {
    window.__asked = [];
    window.__seen = new Set();
    const tick = () => {
      const s = window.__ketasim.shown();
      if (s) window.__seen.add(s.result.scenario.patient.weight_kg);
      requestAnimationFrame(tick);
    };
    tick();
  });
  await page.locator('#weight').selectText();
  await page.locator('#weight').pressSequentially('1e9', { delay: 40 });
  await page.locator('#err-weight').filter({ hasText: /patient\.weight_kg = (1e9|1000000000) is out of range/ }).waitFor();
  const asked = await page.evaluate(() => window.__asked.map((a) => a.w));
  assert.ok(!asked.includes(1), `the engine was asked to run 1 kg: ${asked}`);
  assert.deepEqual(asked, [1e9], 'one run, of the value typed');
  assert.deepEqual(await page.evaluate(() => [...window.__seen]), [before], 'only the run from before is shown');
  assert.equal(await page.locator('#results.stale').count(), 1, 'and it is marked as not current');
  // Enter runs the value at once (not after the pause), and nothing typed on the way
  await page.locator('#weight').selectText();
  await page.evaluate(() => (window.__asked = []));
  await page.locator('#weight').pressSequentially('85', { delay: 0 });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__ketasim.shown()?.current && window.__ketasim.shown().result.scenario.patient.weight_kg === 85, null, { timeout: 10000 });
  let t = await page.evaluate(() => ({ asked: window.__asked, enter: window.__keys.filter((k) => k.key === 'Enter').pop().t }));
  assert.deepEqual(t.asked.map((a) => a.w), [85]);
  assert.ok(t.asked[0].t - t.enter < 100, `run asked ${t.asked[0].t - t.enter} ms after Enter`);
  // leaving the box (Tab) too
  await page.locator('#weight').selectText();
  await page.evaluate(() => (window.__asked = []));
  await page.locator('#weight').pressSequentially('90', { delay: 0 });
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => window.__ketasim.shown()?.current && window.__ketasim.shown().result.scenario.patient.weight_kg === 90, null, { timeout: 10000 });
  t = await page.evaluate(() => ({ asked: window.__asked, tab: window.__keys.filter((k) => k.key === 'Tab').pop().t }));
  assert.deepEqual(t.asked.map((a) => a.w), [90]);
  assert.ok(t.asked[0].t - t.tab < 100, `run asked ${t.asked[0].t - t.tab} ms after Tab`);
  // the slider is not delayed
  await page.evaluate(() => (window.__asked = []));
  const t0 = await page.evaluate(() => {
    const r = document.getElementById('weight-range');
    r.value = '60';
    const at = performance.now();
    r.dispatchEvent(new Event('input', { bubbles: true }));
    return at;
  });
  await page.waitForFunction(() => window.__ketasim.shown()?.current && window.__ketasim.shown().result.scenario.patient.weight_kg === 60, null, { timeout: 10000 });
  const slid = await page.evaluate(() => window.__asked);
  assert.deepEqual(slid.map((a) => a.w), [60]);
  assert.ok(slid[0].t - t0 < 100, `slider run asked ${slid[0].t - t0} ms after`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('invalid inputs show an inline message next to the control and the page keeps working', async () => {
  const { page, context, errors } = await open();
  await page.fill('#weight', '0');
  await page.locator('#err-weight').filter({ hasText: 'patient.weight_kg = 0 is out of range' }).waitFor();
  // emptied, the field says so, and no longer what the engine said of the value that was there
  await page.fill('#weight', '');
  await page.locator('#err-weight').filter({ hasText: 'empty' }).waitFor();
  assert.equal(await page.locator('#err-weight').innerText(), 'patient.weight_kg: empty; type a number.');
  await page.fill('#weight', '70');
  await page.fill('#dose', '1000000000');
  await page.locator('#err-dose').filter({ hasText: 'allowed 0 to 20 mg/kg' }).waitFor();
  assert.equal(await page.locator('#err-weight').innerText(), '');
  const n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.fill('#dose', '0.5'));
  assert.equal(await page.locator('#err-dose').innerText(), '');
  assert.match(await readout(page, 0), /ng\/mL/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('binding kinetics lowers the occupancy peak; a zero half-time is rejected inline', async () => {
  const { page, context, errors } = await open();
  const eq = parseFloat(await readout(page, 4));
  let n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.selectOption('#binding-kind', 'kin'));
  n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.fill('#binding', '30'));
  const kin = parseFloat(await readout(page, 4));
  assert.ok(kin < eq, `${kin} vs ${eq}`);
  await page.fill('#binding', '0');
  await page.locator('#err-binding').filter({ hasText: 'pd.binding.half_time_min = 0 is out of range' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('solver: a link with exact + binding kinetics shows the engine error at the solver select, which fixes it', async () => {
  const sc = presetScenario('antidepressant_40min');
  sc.pd.binding = { kind: 'kinetic', half_time_min: 10 };
  sc.solver = { ...sc.solver, method: 'exact' };
  const { page, context, errors } = await open(stateHash(sc));
  // the engine's list: every method, with which of them run binding kinetics
  const offered = await page.$$eval('#method option', (os) => os.map((o) => o.value));
  assert.deepEqual(offered, ['auto', 'exact', 'exact_kinetic', 'dopri5']);
  assert.equal(await page.inputValue('#method'), 'exact');
  await page.locator('#err-method').filter({ hasText: /solver\.method.*needs a linear system/ }).waitFor();
  assert.equal(await page.evaluate(() => window.__ketasim.shown()?.current ?? false), false);
  await page.screenshot({ path: join(ARTIFACTS, 'solver-error-1280x720.png') });
  const n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.selectOption('#method', 'auto'));
  await page.waitForFunction(() => window.__ketasim.shown()?.current === true);
  assert.equal(await page.locator('#err-method').innerText(), '');
  assert.equal(await page.evaluate(() => window.__ketasim.state().scenario.solver.method), 'auto');
  assert.equal(decodeHash(new URL(page.url()).hash).scenario.solver.method, 'auto');
  assert.match(await readout(page, 0), /^\d+(\.\d+)? ng\/mL$/);
  assert.match(await page.locator('#method-help').innerText(), /exact_kinetic/);
  // with binding kinetics on, the method that cannot run it is not offered; without, it is
  assert.deepEqual(await page.$$eval('#method option:disabled', (os) => os.map((o) => o.value)), ['exact']);
  await rendersAfter(page, await page.evaluate(() => window.__ketasim.renders), () => page.selectOption('#binding-kind', 'eq'));
  assert.deepEqual(await page.$$eval('#method option:disabled', (os) => os.map((o) => o.value)), []);
  await rendersAfter(page, await page.evaluate(() => window.__ketasim.renders), () => page.selectOption('#method', 'dopri5'));
  assert.equal(await page.evaluate(() => window.__ketasim.shown().result.scenario.solver.method), 'dopri5');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Spravato: devices as the dose unit, metabolite curves that toggle, first-pass in the model panel', async () => {
  const { page, context, errors } = await open('#p=spravato_84');
  assert.equal(await page.inputValue('#route'), 'intranasal');
  assert.match(await page.locator('#dose-unit').innerText(), /devices of 28 mg/);
  assert.equal(await page.inputValue('#dose'), '3');
  assert.match(await page.locator('#metab').innerText(), /Noresketamine: peak/);
  assert.equal(await page.locator('#analytes input[type=checkbox]').count(), 1);
  assert.match(await page.locator('#chart-conc .u-legend').innerText(), /Noresketamine plasma/);
  let n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.locator('#analytes input[data-analyte="noresketamine"]').uncheck());
  assert.deepEqual(decodeHash(new URL(page.url()).hash).view.hidden, ['noresketamine']);
  const before = await readout(page, 0);
  n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.fill('#dose', '1'));
  assert.ok(parseFloat(await readout(page, 0)) < parseFloat(before));
  await page.fill('#dose', '4');
  await page.locator('#err-dose').filter({ hasText: '4 devices: give 1 to 3 devices of 28 mg per session' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'spravato-1280x720.png') });
  await page.click('#btn-model');
  await page.locator('#model-panel .firstpass').waitFor();
  assert.match(await page.locator('#model-panel').innerText(), /Perez-Ruixo/);
  await page.keyboard.press('Escape');
  // covariates: an older patient has a lower hepatic flow in this model → higher exposure
  n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.fill('#dose', '2'));
  const young = parseFloat(await readout(page, 0));
  n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.fill('#age', '80'));
  assert.ok(parseFloat(await readout(page, 0)) > young);
  assert.match(await page.locator('#cov-help').innerText(), /Qh/);
  await page.fill('#age', '200');
  await page.locator('#err-age').filter({ hasText: 'patient.age_years = 200' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'spravato-model-panel-1280x720.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('route selector: oral ketamine in mg/kg; switching to a model without the route falls back to IV', async () => {
  const { page, context, errors } = await open('#p=oral_2_5_mgkg');
  assert.equal(await page.inputValue('#route'), 'oral');
  assert.match(await page.locator('#dose-unit').innerText(), /mg\/kg/);
  assert.match(await page.locator('#timeline').innerText(), /Oral/);
  const n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.selectOption('#model', 'domino1982'));
  assert.equal(await page.inputValue('#route'), 'iv');
  // the engine keeps what reached the circulation (175 mg × F 0.20 = 35 mg), not the 2.5 mg/kg
  assert.equal(await page.inputValue('#dose'), '0.5');
  assert.match(await page.locator('#err-general').innerText(), /has no oral route: switched to IV; 175\.0 mg oral × bioavailability 0\.20 = 35\.0 mg reaches the circulation/);
  await page.waitForFunction(() => window.__ketasim.shown()?.current && window.__ketasim.shown().result.model_id === 'domino1982');
  assert.ok(parseFloat(await readout(page, 0)) < 10000, await readout(page, 0));
  await page.selectOption('#model', 'simons2022');
  await page.locator('#analytes input').first().waitFor();
  assert.equal(await page.locator('#analytes input').count(), 2);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the share URL restores the full state', async () => {
  const { page, context } = await open();
  await page.locator('#presets button[data-id="antidepressant_1mgkg"]').click();
  await page.selectOption('#model', 'domino1982');
  await page.selectOption('#ke0', 'analgesia');
  await page.check('input[name=unit][value=um]');
  const n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.fill('#duration', '60'));
  const url = page.url();
  const stateA = await page.evaluate(() => window.__ketasim.state());
  const cmaxA = await readout(page, 0);
  const b = await open(new URL(url).hash);
  const stateB = await b.page.evaluate(() => window.__ketasim.state());
  assert.deepEqual(stateB, stateA);
  assert.equal(await readout(b.page, 0), cmaxA);
  assert.equal(await b.page.inputValue('#duration'), '60');
  assert.equal(await b.page.inputValue('#model'), 'domino1982');
  assert.match(cmaxA, /µM$/);
  await b.context.close();
  await context.close();
});

test('the CSV export has the expected columns', async () => {
  const { page, context } = await open();
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#btn-csv')]);
  const text = readFileSync(await download.path(), 'utf8');
  const [header, ...rows] = text.trim().split('\n');
  assert.deepEqual(header.split(','), [
    't_min',
    'ketamine_cp_ng_per_ml',
    'ketamine_cp_um',
    'ketamine_ce_ng_per_ml',
    'ketamine_ce_unbound_um',
    'occupancy_percent_model_derived',
    'central_amount_mg',
    'peripheral1_amount_mg',
    'peripheral2_amount_mg',
    'gut_depot_amount_mg',
    'sublingual_depot_amount_mg',
    'nasal_depot_amount_mg',
    'im_depot_amount_mg',
    'eliminated_mg',
    'input_mg',
    ...['sbp', 'dbp', 'hr'].flatMap((s) => {
      const u = s === 'hr' ? 'bpm' : 'mmhg';
      return [`${s}_change_${u}_illustrative_empirical`, `${s}_change_low_${u}_illustrative_empirical`, `${s}_change_high_${u}_illustrative_empirical`, `${s}_${u}_illustrative_empirical`];
    }),
  ]);
  assert.equal(rows.length, 361);
  const [pngDl] = await Promise.all([page.waitForEvent('download'), page.click('#btn-png')]);
  assert.ok(statSync(await pngDl.path()).size > 10000);
  await context.close();
});

test('the page computes the native CLI numbers for the fixture scenario', async () => {
  const { page, context } = await open();
  const sc = readFixture('standard_infusion.json');
  // the engine lives in the worker; ask the page's engine through its test hook
  const res = await page.evaluate(async (s) => {
    const r = await window.__ketasim.simulate(s);
    return { cp: Array.from(r.analytes[0].cp_ng_per_ml), ce: Array.from(r.analytes[0].ce_ng_per_ml), occ: Array.from(r.occupancy) };
  }, sc);
  const n = nativeJson(fixture('standard_infusion.json'));
  const worst = Math.max(maxRelDiff(res.cp, n.analytes[0].cp_ng_per_ml), maxRelDiff(res.ce, n.analytes[0].ce_ng_per_ml), maxRelDiff(res.occ, n.occupancy));
  assert.ok(worst <= 1e-12, `${worst}`);
  await context.close();
});

test('course preset: multi-day axis and per-session zoom; pinning overlays runs', async () => {
  const { page, context, errors } = await open('#p=course_6_infusions');
  assert.equal(await page.getAttribute('#chart-conc', 'data-time-unit'), 'days');
  let n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.locator('#sessions button[data-s="3"]').click());
  assert.equal(await page.getAttribute('#chart-conc', 'data-time-unit'), 'min');
  await page.screenshot({ path: join(ARTIFACTS, 'course-session3-1280x720.png') });
  n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.locator('#presets button[data-id="antidepressant_40min"]').click());
  await page.click('#btn-pin');
  await page.selectOption('#model', 'domino1982');
  await page.click('#btn-pin');
  n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.fill('#duration', '100'));
  assert.equal(await page.locator('#pins li').count(), 2);
  assert.match(await page.locator('#chart-conc .u-legend').innerText(), /Kamp 2020[^·]*· iv 0.5 mg\/kg \/ 40 min/);
  await page.screenshot({ path: join(ARTIFACTS, 'compare-1280x720.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('screenshots at projector and tablet sizes; model panel opens with sources', async () => {
  for (const [w, h] of [
    [1280, 720],
    [768, 1024],
  ]) {
    const { page, context, errors } = await open('', { width: w, height: h });
    await page.screenshot({ path: join(ARTIFACTS, `default-${w}x${h}.png`), fullPage: w < 1000 });
    assert.deepEqual(errors, []);
    if (w === 1280) {
      await page.click('#btn-model');
      await page.locator('#model-panel h3').waitFor();
      const text = await page.locator('#model-panel').innerText();
      assert.match(text, /Anesthesiology 2020;133:1192/);
      assert.match(text, /CODE/);
      assert.match(text, /Vss 238\.0 L/);
      await page.screenshot({ path: join(ARTIFACTS, 'model-panel-1280x720.png') });
    }
    await context.close();
  }
});

test('re-simulation and redraw time per slider change (measured, not asserted)', async () => {
  const { page, context } = await open();
  const start = await page.evaluate(() => window.__ketasim.perf.updates.length);
  const slider = page.locator('#weight-range');
  await slider.focus();
  for (let i = 0; i < 60; i++) {
    const n = await page.evaluate(() => window.__ketasim.renders);
    await rendersAfter(page, n, () => page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight'));
  }
  const ups = await page.evaluate((s) => window.__ketasim.perf.updates.slice(s), start);
  const q = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  const drawn = ups.map((u) => u.drawnMs);
  const frame = ups.map((u) => u.frameMs);
  const engine = ups.map((u) => u.engineMs);
  const dist = join(WWW, 'dist', 'assets');
  const files = readdirSync(dist).map((f) => ({ f, raw: statSync(join(dist, f)).size, gz: gzipSync(readFileSync(join(dist, f)), { level: 9 }).length }));
  const html = readFileSync(join(WWW, 'dist', 'index.html'));
  // what the page loads before its first render (population-*.js is the worker-pool code the
  // page imports); the population worker and its module load when a population is first
  // shown, the benchmark page's script only when it is opened
  const firstLoad = files.filter((x) => /^(main|worker|ketasim_bg|population)-/.test(x.f));
  // (the SIMD build of the population module: what a current browser loads; popwasm.ts)
  const onDemand = files.filter((x) => /^(popworker|ketasim_pop_simd_bg)-/.test(x.f));
  const sizes = {
    wasmGzipBytes: firstLoad.filter((x) => x.f.endsWith('.wasm')).reduce((s, x) => s + x.gz, 0),
    pageGzipBytes: firstLoad.reduce((s, x) => s + x.gz, 0) + gzipSync(html, { level: 9 }).length,
    populationOnDemandGzipBytes: onDemand.reduce((s, x) => s + x.gz, 0),
    files,
  };
  const report = {
    sliderChanges: ups.length,
    note: 'engine = simulate() inside the worker; result = input event → result back on the main thread; drawn = input event → readouts and both charts redrawn; frame = input event → next animation frame (includes waiting for vsync)',
    engineMs: { median: q(engine, 0.5), p95: q(engine, 0.95) },
    inputToResultMs: { median: q(ups.map((u) => u.resultMs), 0.5), p95: q(ups.map((u) => u.resultMs), 0.95) },
    inputToDrawnMs: { median: q(drawn, 0.5), p95: q(drawn, 0.95) },
    inputToNextFrameMs: { median: q(frame, 0.5), p95: q(frame, 0.95) },
    sizes,
  };
  writeFileSync(join(ARTIFACTS, 'browser-perf.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify({ ...report, sizes: { wasmGzipBytes: sizes.wasmGzipBytes, pageGzipBytes: sizes.pageGzipBytes, populationOnDemandGzipBytes: sizes.populationOnDemandGzipBytes } }));
  assert.ok(ups.length >= 60);
  await context.close();
});

/** Waits until the page has drawn more population bands than `n`. */
async function bandsAfter(page, n, action) {
  await action();
  await page.waitForFunction((k) => window.__ketasim.populationRenders > k, n, { timeout: 30000 });
}

/** The bands drawn last, as plain arrays, and their scenario. */
const drawnBands = (page) =>
  page.evaluate(() => {
    const p = window.__ketasim.population();
    return p && { scenario: p.scenario, workers: p.bands.workers, bands: p.bands.bands.map((b) => ({ key: b.quantity.key, series: b.series.map((x) => [...x]) })), fraction_above: [...p.bands.fraction_above], cmax: p.bands.cmax };
  });

test('population bands: drawn from the workers, equal to one wasm run bit for bit, and follow the dose slider', async () => {
  // Fanta/Otto: published ω² with V–CL covariances, a metabolite (S-norketamine)
  const { page, context, errors } = await open(stateHash({ ...presetScenario('antidepressant_40min'), model: 'fanta2015', population: { size: 1000, seed: 3, weight_cv_percent: 20, threshold_ng_per_ml: 100 } }, { popOn: true }));
  await page.waitForFunction(() => window.__ketasim.populationRenders > 0, null, { timeout: 30000 });
  assert.equal(await page.locator('#pop-panel').isVisible(), true);
  assert.match(await page.locator('#pop-panel').innerText(), /Varies: V1, CL/);
  assert.match(await page.locator('#pop-panel').innerText(), /1,000 virtual patients \(seed 3\)/);
  assert.match(await page.locator('#pop-panel').innerText(), /Patients with effect site ≥ 100 ng\/mL/);
  const a = await drawnBands(page);
  assert.ok(a.workers >= 2, `workers: ${a.workers}`);
  // the same scenario in one call of the population module in Node: identical numbers
  const ref = popWasm.simulatePopulation(JSON.stringify(a.scenario));
  assert.deepEqual(a.bands.map((b) => b.key), ref.bands.map((b) => b.quantity.key));
  for (const [i, b] of a.bands.entries()) assert.deepEqual(b.series, ref.bands[i].series, b.key);
  assert.deepEqual(a.fraction_above, ref.fraction_above);
  assert.deepEqual(a.cmax, ref.cmax);
  // p5 < median < p95 at the end of the infusion: the band is a band
  const cp = a.bands[0].series;
  assert.ok(cp[0][40] < cp[2][40] && cp[2][40] < cp[4][40]);
  assert.equal(a.bands.length, 4); // S-ketamine and S-norketamine plasma, effect site, occupancy
  await page.screenshot({ path: join(ARTIFACTS, 'population-1280x720.png') });
  await page.screenshot({ path: join(ARTIFACTS, 'population-1280x720-full.png'), fullPage: true });
  // the dose slider moves the bands
  const n = await page.evaluate(() => window.__ketasim.populationRenders);
  await bandsAfter(page, n, () => page.fill('#dose', '1'));
  await page.waitForFunction(() => window.__ketasim.population()?.scenario.regimen[0].dose_mg_per_kg === 1, null, { timeout: 30000 });
  const b = await drawnBands(page);
  assert.ok(Math.abs(b.bands[0].series[2][40] / cp[2][40] - 2) < 1e-3, `median Cp doubles with the dose: ${b.bands[0].series[2][40]} vs ${cp[2][40]}`);
  // switching off removes the bands
  await page.uncheck('#pop-on');
  await page.waitForFunction(() => window.__ketasim.population() === null);
  assert.equal(await page.locator('#pop-panel').isVisible(), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('population limits: clear messages in the page, which keeps working', async () => {
  const { page, context, errors } = await open(stateHash({ ...presetScenario('antidepressant_40min'), population: { size: 100, seed: 1, weight_cv_percent: 20, threshold_ng_per_ml: 100 } }, { popOn: true }));
  await page.waitForFunction(() => window.__ketasim.populationRenders > 0, null, { timeout: 30000 });
  await page.fill('#pop-size', '20001');
  await page.locator('#err-pop').filter({ hasText: 'population.size = 20001 is out of range' }).waitFor();
  assert.match(await page.locator('#err-pop').innerText(), /CLI runs up to 100 000/);
  assert.equal(await page.locator('#pop-panel').isVisible(), false);
  await page.fill('#pop-size', '2.5');
  await page.locator('#err-pop').filter({ hasText: 'not a whole number' }).waitFor();
  await page.fill('#pop-size', '100');
  // women above 100 %: the engine's message, next to the population controls
  await page.fill('#pop-women', '150');
  await page.locator('#err-pop').filter({ hasText: 'population.female_percent = 150 is out of range' }).waitFor();
  let m = await page.evaluate(() => window.__ketasim.populationRenders);
  await bandsAfter(page, m, () => page.fill('#pop-women', ''));
  // Kamp 2020 has no ω²: without a weight spread every virtual patient is the typical one
  m = await page.evaluate(() => window.__ketasim.populationRenders);
  await bandsAfter(page, m, () => page.fill('#pop-wcv', '0'));
  await page.waitForFunction(() => window.__ketasim.population()?.scenario.population.weight_cv_percent === 0);
  const flat = await drawnBands(page);
  const cp = flat.bands[0].series;
  assert.ok(cp[0].every((v, k) => v === cp[4][k]), 'p5 = p95 without variability');
  assert.match(await page.locator('#pop-panel').innerText(), /no body weight spread/);
  m = await page.evaluate(() => window.__ketasim.populationRenders);
  await bandsAfter(page, m, () => page.fill('#pop-wcv', '20'));
  // a 14-day course on a fine grid is too many values for the browser: the message says what to do
  const n = await page.evaluate(() => window.__ketasim.populationRenders);
  await bandsAfter(page, n, () => page.fill('#pop-size', '10000'));
  await page.click('#presets button[data-id="course_6_infusions"]');
  await page.locator('#err-pop').filter({ hasText: /fewer subjects or a coarser output_step_min|out of range/ }).waitFor({ timeout: 30000 });
  assert.match(await readout(page, 0), /ng\/mL/); // the typical curve still renders
  assert.deepEqual(errors, []);
  await context.close();
});

test('population timings in Chromium: 1 000 and 10 000 subjects, 1 worker vs all (measured, not asserted)', async () => {
  const { page, context } = await open();
  const report = await page.evaluate(async () => {
    const k = window.__ketasim;
    const sc = { patient: { weight_kg: 70 }, model: 'kamp2020', regimen: [{ kind: 'infusion', dose_mg_per_kg: 0.5, duration_min: 40 }], horizon_min: 360, output_step_min: 1 };
    const out = [];
    for (const size of [1000, 10000]) {
      for (const workers of [1, navigator.hardwareConcurrency || 2]) {
        const s = { ...sc, population: { size, seed: 1 } };
        const first = await k.runPopulation(s, workers);
        const ts = [];
        for (let i = 0; i < (size > 5000 ? 5 : 15); i++) ts.push((await k.runPopulation(s, workers)).timing);
        const med = (f) => ts.map(f).sort((a, b) => a - b)[Math.floor(ts.length / 2)];
        out.push({ size, workers: first.workers, totalMs: med((t) => t.totalMs), simulateMs: med((t) => t.simulateMs), statsMs: med((t) => t.statsMs) });
      }
    }
    return out;
  });
  // slider-driven: 1 000 subjects follow the dose slider
  const { page: p2, context: c2 } = await open(stateHash({ ...presetScenario('antidepressant_40min'), population: { size: 1000, seed: 1, weight_cv_percent: 20, threshold_ng_per_ml: 100 } }, { popOn: true }));
  await p2.waitForFunction(() => window.__ketasim.populationRenders > 0, null, { timeout: 30000 });
  const start = await p2.evaluate(() => window.__ketasim.perf.population.length);
  const slider = p2.locator('#dose-range');
  await slider.focus();
  for (let i = 0; i < 20; i++) {
    const n = await p2.evaluate(() => window.__ketasim.populationRenders);
    await bandsAfter(p2, n, () => p2.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight'));
  }
  const ups = await p2.evaluate((s) => window.__ketasim.perf.population.slice(s), start);
  const q = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  const slider1000 = { changes: ups.length, poolMs: { median: q(ups.map((u) => u.totalMs), 0.5), p95: q(ups.map((u) => u.totalMs), 0.95) }, inputToBandsDrawnMs: { median: q(ups.map((u) => u.drawnMs), 0.5), p95: q(ups.map((u) => u.drawnMs), 0.95) } };
  const out = { note: 'totalMs = layout + simulate (workers in parallel) + percentiles by time block (workers in parallel); median of repeated runs; the 1 000-subject slider run also includes the typical curve and drawing', runs: report, slider1000 };
  writeFileSync(join(ARTIFACTS, 'population-perf.json'), JSON.stringify(out, null, 2));
  console.log(JSON.stringify(out));
  assert.ok(report.length === 4);
  await c2.close();
  await context.close();
});

test('the benchmark page runs wasm and the JavaScript solver side by side', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(server.url + 'bench.html');
  await page.waitForFunction(() => window.__bench?.done === true, null, { timeout: 300000 });
  const bench = await page.evaluate(() => window.__bench);
  writeFileSync(join(ARTIFACTS, 'bench.json'), JSON.stringify(bench, null, 2));
  await page.screenshot({ path: join(ARTIFACTS, 'bench.png'), fullPage: true });
  console.log(JSON.stringify(bench));
  // the JavaScript solver computes the same curves (ng/mL; tolerance 1e-6 relative)
  const js = bench.single.find((r) => r.engine.startsWith('JavaScript'));
  assert.ok(js.maxAbsDiffNgPerMl < 0.01, `JS vs wasm: ${js.maxAbsDiffNgPerMl} ng/mL`);
  // kinetic binding: both JavaScript solvers integrate the engine's own problem and agree with
  // Dopri5 at rtol 1e-11 (errors well within what rtol 1e-6 allows); the wasm rows too
  assert.equal(bench.kinetic.length, 4);
  for (const r of bench.kinetic) {
    for (const e of [r.relErrCp, r.relErrCe, r.relErrBound]) assert.ok(e < 1e-4, `${r.engine}: ${JSON.stringify(r)}`);
  }
  // the kinetic table's engines are timed in turn; the per-batch ratios come with their range
  for (const r of Object.values(bench.kineticRatios)) {
    assert.equal(r.batches, 9);
    assert.ok(r.min > 0 && r.min <= r.median && r.median <= r.max, JSON.stringify(r));
  }
  assert.equal(bench.population.length, 8);
  assert.deepEqual(errors, []);
  await context.close();
});

test('vitals: the chart and every mention say illustrative, numbers name their sources, the engine picks the curve; CSV and PNG carry the label', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  // record what is drawn into canvases (the PNG export draws its header notes with fillText)
  await context.addInitScript(() => {
    window.__drawn = [];
    const fill = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
      window.__drawn.push(String(text));
      return fill.call(this, text, ...rest);
    };
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(server.url);
  await page.waitForFunction(() => window.__ketasim?.ready === true, null, { timeout: 15000 });
  // the chart is there, titled illustrative, with the engine's modes
  assert.equal(await page.locator('#chart-vitals .uplot').count(), 1);
  assert.match(await page.locator('#chart-vitals .u-title').innerText(), /ILLUSTRATIVE/);
  assert.match(await page.locator('#vitals h2').innerText(), /ILLUSTRATIVE/);
  assert.match(await page.locator('.s-vitals h2').innerText(), /illustrative/i);
  assert.equal(await page.getAttribute('#chart-vitals', 'data-modes'), 'sbp:empirical dbp:empirical hr:empirical');
  // the label drawn into the chart's own canvas names it illustrative and its source
  const drawn = await page.evaluate(() => window.__drawn.join('\n'));
  assert.match(drawn, /ILLUSTRATIVE — not a published model\./);
  assert.match(drawn, /Vankawala 2021/);
  const info = await page.locator('#vitals-info').innerText();
  assert.match(info, /Systolic blood pressure cited course: peak \+12\.6 mmHg at 40 min/);
  assert.match(info, /every session is IV racemic ketamine 0\.5 mg\/kg over 40 min/);
  assert.match(info, /ILLUSTRATIVE/);
  await page.evaluate(() => document.getElementById('vitals').scrollIntoView());
  await page.screenshot({ path: join(ARTIFACTS, 'vitals-standard-1280x720.png') });
  // every cited number on the panels resolves to one of the result's sources
  const check = await page.evaluate(() => {
    const ids = new Set(window.__ketasim.shown().result.monitoring.sources.map((s) => s.id));
    const cells = [...document.querySelectorAll('#vitals [data-source], #side-effects [data-source], #timeline [data-source]')];
    return { n: cells.length, bad: cells.filter((c) => !ids.has(c.dataset.source)).map((c) => c.outerHTML.slice(0, 120)), badges: [...document.querySelectorAll('#vitals .cited')].filter((c) => !c.nextElementSibling?.classList.contains('badge')).length };
  });
  assert.ok(check.n > 15, `${check.n} cited numbers`);
  assert.deepEqual(check.bad, []);
  assert.equal(check.badges, 0, 'every cited number has its provenance badge');
  // the clinic timeline: the IV checks and the cited course
  assert.match(await page.locator('#timeline .mon-track').innerText(), /BP checks: before, every 10 min during, every 15 min after/);
  // the side effects of the route in use
  assert.match(await page.locator('#side-effects h3').innerText(), /IV racemic ketamine/);
  assert.match(await page.locator('#side-effects').innerText(), /No concentration–response relation/);
  // absolute view: a view option, in the link
  let n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.check('input[name=vitals-show][value=absolute]'));
  assert.equal(await page.getAttribute('#chart-vitals', 'data-show'), 'absolute');
  assert.equal(decodeHash(new URL(page.url()).hash).view.vitals, 'absolute');
  // a pre-dose value above 140: the engine's check says so; out of range: the engine's message
  n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.fill('#base-sbp', '150'));
  assert.match(await page.locator('#vitals-info .predose').innerText(), /above 140\/90/);
  await page.fill('#base-sbp', '300');
  await page.locator('#err-vitals').filter({ hasText: 'vitals.baseline_sbp_mmhg = 300 is out of range: allowed 60 to 250 mmHg' }).waitFor();
  n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.fill('#base-sbp', ''));
  // what an empty box means is the engine's reference baseline, not a second copy in the page
  const ref = await page.evaluate(() => window.__ketasim.shown().result.monitoring.calibration.reference_baseline);
  assert.equal(
    await page.locator('#base-help').innerText(),
    `Before dosing. Empty: ${ref.sbp_mmhg.value}/${ref.dbp_mmhg.value} mmHg, ${ref.hr_bpm.value} beats/min [${ref.sbp_mmhg.provenance}]. They move the absolute values, not the rise.`,
  );
  // the concentration-driven link, on request: in the scenario, the chart and the CSV
  n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.selectOption('#vitals-curve', 'concentration_driven'));
  assert.equal(await page.getAttribute('#chart-vitals', 'data-modes'), 'sbp:concentration_driven dbp:concentration_driven hr:concentration_driven');
  assert.equal(decodeHash(new URL(page.url()).hash).scenario.vitals.curve, 'concentration_driven');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#btn-csv')]);
  const header = readFileSync(await csv.path(), 'utf8').split('\n')[0].split(',');
  const vit = header.filter((c) => /^(sbp|dbp|hr)_/.test(c));
  assert.equal(vit.length, 12);
  assert.ok(vit.every((c) => c.includes('_illustrative_concentration_driven')), vit.join(','));
  // the PNG: three charts, and the header says the vitals are illustrative
  await page.evaluate(() => (window.__drawn = []));
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#btn-png')]);
  assert.ok(statSync(await png.path()).size > 10000);
  const exported = await page.evaluate(() => window.__drawn);
  assert.ok(exported.some((t) => /^Blood pressure and heart rate: ILLUSTRATIVE, not a published model \(sbp: concentration-driven/.test(t)), exported.join(' | '));
  await page.locator('#vitals').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'vitals-standard-concentration-1280x720.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('vitals on Spravato 84 mg: the label course for blood pressure, the link for heart rate, the label rules and the disagreement on the timeline', async () => {
  const { page, context, errors } = await open('#p=spravato_84');
  assert.equal(await page.getAttribute('#chart-vitals', 'data-modes'), 'sbp:empirical dbp:empirical hr:concentration_driven');
  const info = await page.locator('#vitals-info').innerText();
  assert.match(info, /Systolic blood pressure cited course: peak \+13\.3 mmHg at 40 min/);
  assert.match(info, /Heart rate concentration-driven/);
  assert.match(info, /GAP/);
  const tl = await page.locator('#timeline .mon-track').innerText();
  assert.match(tl, /BP checks: before dosing and about 40 min after/);
  assert.match(tl, /dissociation \(CADSS\): peak 40 min, over by 90 min/);
  assert.match(tl, /Spravato label: lasts about 4 h/);
  assert.match(await page.locator('#timeline').innerText(), /at least 2 hours/);
  const se = await page.locator('#side-effects').innerText();
  assert.match(se, /Esketamine nasal spray vs placebo/);
  assert.match(se, /41 % vs 9 %/);
  await page.screenshot({ path: join(ARTIFACTS, 'vitals-spravato84-top-1280x720.png') });
  await page.locator('#vitals').scrollIntoViewIfNeeded();
  await page.evaluate(() => document.getElementById('vitals').scrollIntoView());
  await page.screenshot({ path: join(ARTIFACTS, 'vitals-spravato84-1280x720.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the monitoring panels add no sideways scrolling on a phone', async () => {
  for (const hash of ['', '#p=spravato_84', '#p=course_6_infusions']) {
    const { page, context, errors } = await open(hash, { width: 390, height: 844 });
    const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(sw <= cw, `${hash}: ${sw} > ${cw}`);
    for (const id of ['vitals', 'side-effects', 'timeline']) {
      const r = await page.evaluate((i) => document.getElementById(i).getBoundingClientRect().right, id);
      assert.ok(r <= 390, `${hash} #${id} ends at ${r}`);
    }
    if (hash === '#p=spravato_84') {
      await page.evaluate(() => document.getElementById('vitals').scrollIntoView());
      await page.screenshot({ path: join(ARTIFACTS, 'vitals-spravato84-390x844.png') });
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});
