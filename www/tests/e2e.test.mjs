// End-to-end tests in headless Chromium (Debian's /usr/bin/chromium via playwright-core).
// Screenshots and the measured timings go to artifacts/ for a human to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serve, launch, ARTIFACTS, WWW, fixture, readFixture, nativeJson, maxRelDiff } from './helpers.mjs';

let server;
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
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

const readout = (page, i) => page.locator('#readouts > div').nth(i).locator('dd').innerText();

async function rendersAfter(page, n, action) {
  await action();
  await page.waitForFunction((k) => window.__ketasim.renders > k, n, { timeout: 10000 });
}

test('the page loads without console errors or network requests and renders the default preset', async () => {
  const { page, context, errors, external, loadMs } = await open();
  assert.deepEqual(errors, []);
  assert.deepEqual(external, []);
  assert.equal(await page.locator('.uplot').count(), 2);
  assert.match(await readout(page, 0), /^\d+(\.\d+)? ng\/mL$/);
  assert.match(await page.locator('.disclaimer').innerText(), /Educational model/);
  assert.match(await page.locator('#chart-occ').innerText(), /model-derived/);
  assert.match(await page.locator('#timeline').innerText(), /Ready for discharge/);
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

test('invalid inputs show an inline message next to the control and the page keeps working', async () => {
  const { page, context, errors } = await open();
  await page.fill('#weight', '0');
  await page.locator('#err-weight').filter({ hasText: 'patient.weight_kg = 0 is out of range' }).waitFor();
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
  assert.match(page.url(), /hi=noresketamine/);
  const before = await readout(page, 0);
  n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.fill('#dose', '1'));
  assert.ok(parseFloat(await readout(page, 0)) < parseFloat(before));
  await page.fill('#dose', '4');
  await page.locator('#err-dose').filter({ hasText: 'whole 28-mg devices, 1 to 3 per session' }).waitFor();
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
  assert.match(await page.locator('#timeline').innerText(), /Oral dose/);
  const n = await page.evaluate(() => window.__ketasim.renders);
  await rendersAfter(page, n, () => page.selectOption('#model', 'domino1982'));
  assert.equal(await page.inputValue('#route'), 'iv');
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
    return { cp: Array.from(r.analytes[0].cpNgPerMl), ce: Array.from(r.analytes[0].ceNgPerMl), occ: Array.from(r.occupancy) };
  }, sc);
  const n = nativeJson(fixture('standard_infusion.json'));
  const worst = Math.max(maxRelDiff(res.cp, n.analytes[0].cpNgPerMl), maxRelDiff(res.ce, n.analytes[0].ceNgPerMl), maxRelDiff(res.occ, n.occupancy));
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
  assert.match(await page.locator('#chart-conc .u-legend').innerText(), /kamp2020 · iv 0.5 mg\/kg \/ 40 min/);
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
  const sizes = {
    wasmGzipBytes: files.filter((x) => x.f.endsWith('.wasm')).reduce((s, x) => s + x.gz, 0),
    pageGzipBytes: files.reduce((s, x) => s + x.gz, 0) + gzipSync(html, { level: 9 }).length,
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
  console.log(JSON.stringify({ ...report, sizes: { wasmGzipBytes: sizes.wasmGzipBytes, pageGzipBytes: sizes.pageGzipBytes } }));
  assert.ok(ups.length >= 60);
  await context.close();
});
