// The built wasm package in Node: same numbers as the native CLI, the same numeric checks as
// the Rust tests, and errors — never panics — for any input.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import init, * as wasm from '../src/pkg/ketasim.js';
import initPop, * as pop from '../src/pkg-pop/ketasim_pop.js';
import { WWW, ROOT, fixture, readFixture, nativeJson, maxRelDiff } from './helpers.mjs';

before(async () => {
  await init({ module_or_path: readFileSync(join(WWW, 'src', 'pkg', 'ketasim_bg.wasm')) });
  await initPop({ module_or_path: readFileSync(join(WWW, 'src', 'pkg-pop', 'ketasim_pop_bg.wasm')) });
});

function compareWithNative(w, n) {
  assert.equal(w.model_id, n.model_id);
  assert.ok(maxRelDiff(w.t_min, n.t_min) === 0, 'time grid');
  let worst = 0;
  for (const [i, a] of w.analytes.entries()) {
    for (const k of ['cp_ng_per_ml', 'cp_um', 'ce_ng_per_ml', 'ce_unbound_um']) {
      worst = Math.max(worst, maxRelDiff(a[k], n.analytes[i][k]));
    }
  }
  worst = Math.max(worst, maxRelDiff(w.occupancy, n.occupancy), maxRelDiff(w.eliminated_mg, n.eliminated_mg));
  for (const [i, c] of w.compartments.entries()) worst = Math.max(worst, maxRelDiff(c.amount_mg, n.compartments[i].amount_mg));
  for (const [i, v] of w.monitoring.vitals.entries()) {
    const nv = n.monitoring.vitals[i];
    assert.equal(v.mode, nv.mode);
    for (const k of ['change', 'change_low', 'change_high', 'value']) worst = Math.max(worst, maxRelDiff(v[k], nv[k]));
  }
  const wm = w.metrics.analytes[0];
  const nm = n.metrics.analytes[0];
  for (const k of ['cmax_ng_per_ml', 'tmax_min', 'auc_0_t_ng_h_per_ml']) worst = Math.max(worst, maxRelDiff([wm[k]], [nm[k]]));
  return worst;
}

test('wasm result for the fixture scenario equals the native CLI result (≤ 1e-12 relative)', () => {
  const w = wasm.simulate(readFixture('standard_infusion.json'));
  const n = nativeJson(fixture('standard_infusion.json'));
  const worst = compareWithNative(w, n);
  assert.ok(worst <= 1e-12, `max relative difference ${worst}`);
  assert.ok(w.t_min instanceof Float64Array);
});

test('every preset gives the native numbers in wasm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ketasim-'));
  for (const p of wasm.presets()) {
    const path = join(dir, `${p.id}.json`);
    writeFileSync(path, JSON.stringify(p.scenario));
    const worst = compareWithNative(wasm.simulate(p.scenario), nativeJson(path));
    assert.ok(worst <= 1e-12, `${p.id}: ${worst}`);
  }
});

test('mass balance and occupancy bounds hold in the wasm build', () => {
  const models = wasm.models(70);
  for (const p of wasm.presets()) {
    for (const m of models) {
      // every preset on every model, its regimen adapted by the engine as the page does
      const model = m.id;
      const a = wasm.withModel(p.scenario, model);
      const r = wasm.simulate({ ...p.scenario, model: a.model, regimen: a.regimen });
      const total = r.input_mg[r.input_mg.length - 1];
      for (let k = 0; k < r.t_min.length; k += 7) {
        const held = r.compartments.reduce((s, c) => s + c.amount_mg[k], 0) + r.eliminated_mg[k];
        assert.ok(Math.abs(held - r.input_mg[k]) <= 1e-9 * total, `${p.id}/${model} t=${r.t_min[k]}`);
        assert.ok(r.occupancy[k] >= 0 && r.occupancy[k] <= 1);
      }
    }
  }
});

test('invalid inputs throw Error with the field, and the module keeps working', () => {
  const base = readFixture('standard_infusion.json');
  const cases = [
    [{ ...base, patient: { weight_kg: 0 } }, 'patient.weight_kg', /allowed 1 to 250 kg/],
    [{ ...base, regimen: [{ ...base.regimen[0], dose_mg_per_kg: 1e9 }] }, 'regimen[0].dose_mg_per_kg', /allowed 0 to 20 mg\/kg/],
    [{ ...base, model: 'nope' }, 'model', /unknown model/],
    [{ ...base, horizon_min: 1e12 }, 'horizon_min', /out of range/],
    [{ ...base, output_step_min: 0.01, horizon_min: 259200 }, undefined, /exceeds the limit/],
  ];
  for (const [sc, field, re] of cases) {
    assert.throws(
      () => wasm.simulate(sc),
      (e) => e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && e.field === field && re.test(e.message),
    );
  }
  assert.ok(wasm.simulate(base).analytes[0].cp_ng_per_ml.length > 0);
});

test('unknown fields are errors, as in the CLI, at any depth and in both modules', () => {
  const base = readFixture('standard_infusion.json');
  const cases = [
    [{ ...base, horizon: 60 }, 'horizon'],
    [{ ...base, patient: { ...base.patient, wieght_kg: 70 } }, 'patient.wieght_kg'],
    [{ ...base, regimen: [{ ...base.regimen[0], dose_mg_kg: 1 }] }, 'regimen[0].dose_mg_kg'],
    [{ ...base, pd: { binding: { kind: 'kinetic', half_time_min: 5, k_on: 1 } } }, 'pd.binding.k_on'],
    [{ ...base, population: { size: 10, sede: 1 } }, 'population.sede'],
  ];
  for (const [sc, path] of cases) {
    for (const call of [() => wasm.simulate(sc), () => wasm.validateScenario(sc), () => pop.simulatePopulation(sc)]) {
      assert.throws(call, (e) => e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && e.message.includes(`unknown field \`${path}\``), path);
    }
  }
  // what is written back may leave out null and empty fields: they are not unknown
  const ok = { ...base, name: null, pd: { thresholds_ng_per_ml: [] }, population: { size: 3, weight_kg: null } };
  assert.ok(wasm.simulate(ok).t_min.length > 0);
  assert.equal(pop.simulatePopulation(ok).size, 3);
  // and every preset passes as it is
  for (const p of wasm.presets()) wasm.validateScenario(p.scenario);
});

test('malformed and random inputs never panic the module', () => {
  const junk = [null, undefined, 42, 'x', [], {}, { patient: null }, { patient: { weight_kg: 'a' }, regimen: [], horizon_min: 1 }];
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const num = () => (rnd() < 0.85 ? pick([0.5, 70, 3.3, 40, 1, 12]) : pick([0, -1, 1e308, -1e-300, 1e9, NaN, Infinity]));
  for (let i = 0; i < 400; i++) {
    junk.push({
      patient: { weight_kg: num(), age_years: num() },
      model: pick(['kamp2020', 'domino1982', 'herd2007', 'x']),
      regimen: [
        {
          route: pick(['iv', 'im', 'oral']),
          kind: pick(['bolus', 'infusion']),
          [pick(['dose_mg', 'dose_mg_per_kg', 'rate_mg_per_h'])]: num(),
          ...(rnd() < 0.6 ? { duration_min: num() } : {}),
          schedule: pick([{ at_min: [num(), num()] }, { every: { interval_h: num(), count: Math.floor(rnd() * 5000) } }, { at_days: { days: [num()] } }]),
        },
      ],
      horizon_min: num(),
      output_step_min: num(),
      pd: pick([{}, { ke0_endpoint: 'custom', ke0_per_min: num() }, { binding: { kind: 'kinetic', half_time_min: num() } }]),
    });
  }
  let ok = 0;
  for (const sc of junk) {
    try {
      wasm.simulate(sc);
      ok++;
    } catch (e) {
      assert.ok(!(e instanceof WebAssembly.RuntimeError), `panic for ${JSON.stringify(sc)}: ${e}`);
      assert.ok(e instanceof Error && e.message.length > 0);
    }
  }
  assert.ok(ok > 0, 'some random scenarios should be valid');
  assert.ok(wasm.simulate(readFixture('standard_infusion.json')).t_min.length === 361);
});

test('metadata: models cite sources with provenance, CSV has the CLI columns, csht is monotone', () => {
  const models = wasm.models(70);
  assert.ok(models.length >= 4);
  for (const m of models) {
    assert.ok(m.citation.length > 10);
    assert.ok(m.params.every((p) => ['READ', 'READ-2', 'CODE', 'UNVERIFIED', 'DERIVED', 'ASSUMPTION'].includes(p.provenance)));
    assert.ok(m.derived.vss_l > 0);
  }
  const pd = wasm.pdTables();
  assert.ok(pd.landmarks.every((l) => l.source.length > 0));
  const csv = wasm.simulateCsv(readFixture('standard_infusion.json'));
  const native = execFileSync(join(ROOT, 'target', 'release', 'ketasim'), ['simulate', fixture('standard_infusion.json')]).toString();
  assert.equal(csv, native);
  const c = wasm.csht('kamp2020', 70, new Float64Array([10, 60, 240]));
  assert.ok(c[0] < c[1] && c[1] < c[2]);
  assert.throws(() => wasm.models(0), (e) => e.field === 'patient.weight_kg');
});

/** Native CLI `population … --format json` for a scenario object. */
function nativePopulation(sc) {
  const dir = mkdtempSync(join(tmpdir(), 'ketasim-pop-'));
  const path = join(dir, 'scenario.json');
  writeFileSync(path, JSON.stringify(sc));
  const out = execFileSync(join(ROOT, 'target', 'release', 'ketasim'), ['population', path, '--format', 'json', '--serial'], { maxBuffer: 1 << 28 });
  return JSON.parse(out.toString());
}

const POPULATIONS = [
  // ω² (log-normal) and default weights
  { model: 'herd2007', patient: { weight_kg: 25 }, population: { size: 300, seed: 42 } },
  // covariances (Cholesky), metabolites, sex and age distributions, oral route (logit F)
  {
    model: 'fanta2015',
    patient: { weight_kg: 70 },
    regimen: [{ route: 'oral', kind: 'bolus', dose_mg: 100 }],
    population: { size: 200, seed: 7, female_percent: 50, age_years: { uniform: { min: 20, max: 70 } } },
  },
];

function populationScenario(p) {
  const base = readFixture('standard_infusion.json');
  return { ...base, ...p, horizon_min: 300, output_step_min: 2 };
}

test('same seed gives the same population natively and in wasm, bit for bit', () => {
  for (const p of POPULATIONS) {
    const sc = populationScenario(p);
    const w = pop.simulatePopulation(sc);
    const n = nativePopulation(sc);
    assert.equal(w.size, n.size);
    assert.deepEqual(w.cmax_ng_per_ml, n.cmax_ng_per_ml, `${p.model}: Cmax`);
    assert.deepEqual(w.recovery_min, n.recovery_min, `${p.model}: recovery`);
    assert.deepEqual(w.fraction_above, n.fraction_above, `${p.model}: fraction above`);
    assert.equal(w.bands.length, n.bands.length);
    for (const [i, b] of w.bands.entries()) {
      assert.deepEqual(b.quantity, n.bands[i].quantity);
      assert.deepEqual(b.series, n.bands[i].series, `${p.model}: ${b.quantity.key}`);
    }
    // the bands really vary (the comparison is not of constants)
    const cp = w.bands[0].series;
    assert.ok(cp[4][20] > 1.2 * cp[0][20], `${p.model}: 95th vs 5th percentile`);
    // and a different seed gives different numbers
    const other = pop.simulatePopulation({ ...sc, population: { ...sc.population, seed: sc.population.seed + 1 } });
    assert.notDeepEqual(other.cmax_ng_per_ml, w.cmax_ng_per_ml);
  }
});

test('subjects split across workers and merged by time block give the single-run result', () => {
  const sc = populationScenario(POPULATIONS[1]);
  const whole = pop.simulatePopulation(sc);
  const layout = pop.populationLayout(sc);
  const npts = layout.t_min.length;
  const nq = layout.quantities.length;
  const cuts = new Uint32Array([0, 50, 51, npts]);
  const ranges = [[0, 64], [64, 1], [65, 135]];
  const runs = ranges.map(([s, c]) => pop.populationSimulate(sc, s, c, cuts));
  const stats = [];
  for (let b = 0; b < cuts.length - 1; b++) {
    const parts = runs.map((r) => r.blocks[b]).reverse();
    stats.push(pop.populationBlockStats(parts, nq, cuts[b + 1] - cuts[b], layout.ce_quantity, layout.threshold_ng_per_ml));
  }
  for (const [q, band] of whole.bands.entries()) {
    for (let j = 0; j < 5; j++) {
      const joined = [];
      for (let b = 0; b < stats.length; b++) {
        const n = cuts[b + 1] - cuts[b];
        joined.push(...stats[b].bands.subarray((q * 5 + j) * n, (q * 5 + j + 1) * n));
      }
      assert.deepEqual(joined, band.series[j], `${band.quantity.key} p${layout.percentiles[j]}`);
    }
  }
  assert.deepEqual(stats.flatMap((s) => [...s.fraction_above]), whole.fraction_above);
  const cmax = runs.flatMap((r) => [...r.cmax_ng_per_ml]);
  assert.deepEqual(cmax, whole.cmax_ng_per_ml);
  assert.deepEqual(pop.populationDistribution(new Float64Array(cmax), 20), whole.cmax);
});

test('population limits in the browser are errors that name the field', () => {
  const sc = populationScenario(POPULATIONS[0]);
  const big = { ...sc, population: { size: 20001 } };
  assert.throws(() => pop.populationLayout(big), (e) => e.field === 'population.size' && /20000/.test(e.message));
  assert.throws(() => pop.simulatePopulation({ ...sc, population: { size: 0 } }), (e) => e.field === 'population.size');
  assert.throws(
    () => pop.populationLayout({ ...sc, horizon_min: 1440, output_step_min: 0.25, population: { size: 10000 } }),
    (e) => e.field === 'population.size' && /allowed 1 to 1388 virtual patients/.test(e.message),
  );
  assert.throws(() => pop.populationSimulate(sc, 299, 2, new Uint32Array([0, 151])), (e) => e.field === 'population.range');
  assert.throws(() => pop.populationSimulate(sc, 0, 2, new Uint32Array([0, 7])), (e) => e.field === 'cuts');
  assert.throws(() => pop.populationBlockStats([new Float32Array(5)], 2, 2, 0, 100), (e) => e.field === 'parts');
  assert.throws(() => pop.populationBlockStats([[1, 2, 3, 4]], 2, 2, 0, 100), (e) => e.field === 'parts' && /Float32Array/.test(e.message));
  // 10 000 subjects on the standard 6-h grid are allowed
  const ok = pop.populationLayout({ ...readFixture('standard_infusion.json'), population: { size: 10000 } });
  assert.equal(ok.size, 10000);
});

test('malformed population inputs never panic the population module', () => {
  const base = populationScenario(POPULATIONS[0]);
  let seed = 777;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const num = () => pick([0, 1, 3, 50, 300, -1, 1e9, NaN, Infinity, 2.5, 2 ** 33]);
  const dist = () => pick([{ fixed: num() }, { uniform: { min: num(), max: num() } }, { log_normal: { median: num(), cv_percent: num(), min: num(), max: num() } }, 'x', null]);
  let ok = 0;
  for (let i = 0; i < 300; i++) {
    const population = { size: num(), seed: pick([0, 1, -1, 2 ** 60, NaN]) };
    if (rnd() < 0.4) population.weight_kg = dist();
    if (rnd() < 0.3) population.age_years = dist();
    if (rnd() < 0.3) population.female_percent = num();
    if (rnd() < 0.3) population.threshold_ng_per_ml = num();
    const sc = { ...base, population, horizon_min: pick([60, 300, 1e7]), output_step_min: pick([1, 5, 0.001]) };
    const calls = [
      () => pop.populationLayout(sc),
      () => pop.simulatePopulation(sc),
      () => pop.populationSimulate(sc, Math.floor(num()) >>> 0, Math.floor(num()) >>> 0, new Uint32Array([0, Math.floor(num()) >>> 0])),
      () => pop.populationBlockStats([new Float32Array(Math.floor(rnd() * 20))], Math.floor(num()) >>> 0, Math.floor(num()) >>> 0, Math.floor(num()) >>> 0, num()),
      () => pop.populationDistribution(new Float64Array([num(), num(), num()]), Math.floor(num()) >>> 0),
    ];
    for (const call of calls) {
      try {
        call();
        ok++;
      } catch (e) {
        assert.ok(!(e instanceof WebAssembly.RuntimeError), `panic in ${call} for ${JSON.stringify(sc.population)}: ${e}`);
        assert.ok(e instanceof Error && e.message.length > 0);
      }
    }
  }
  assert.ok(ok > 0, 'some calls should succeed');
  assert.equal(pop.simulatePopulation(base).size, 300); // the module still works
});

test('the wasm result has exactly the keys of the serde (CLI) JSON: one shape, one case convention', () => {
  const w = wasm.simulate(readFixture('standard_infusion.json'));
  const n = nativeJson(fixture('standard_infusion.json'));
  const shape = (v) => {
    if (v instanceof Float64Array || Array.isArray(v)) return v.length && typeof v[0] === 'object' && v[0] !== null ? [shape(v[0])] : 'list';
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape(v[k])]));
    return 'value';
  };
  assert.deepEqual(shape(w), shape(n));
  const snake = (v, path = '') => {
    if (v && typeof v === 'object' && !(v instanceof Float64Array)) {
      for (const [k, x] of Object.entries(v)) {
        assert.match(k, /^[a-z0-9_]+$/, `${path}.${k}`);
        snake(x, `${path}.${k}`);
      }
    }
  };
  snake(w);
  snake(wasm.pdTables());
  snake(wasm.defaults());
  snake(wasm.limits());
});

test('a TCI pump profile in wasm equals the native one, and its targets are met', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ketasim-tci-'));
  const sc = {
    patient: { weight_kg: 70 },
    model: 'kamp2020',
    regimen: [
      { kind: 'tci', target: 'effect_site', target_ng_per_ml: 150, duration_min: 60,
        target_steps: [{ at_min: 30, target_ng_per_ml: 200 }] },
    ],
    horizon_min: 120,
  };
  const path = join(dir, 'tci.json');
  writeFileSync(path, JSON.stringify(sc));
  const w = wasm.simulate(sc);
  const n = nativeJson(path);
  assert.equal(w.pumps.length, 1);
  assert.equal(w.pumps[0].segments.length, n.pumps[0].segments.length);
  const rates = (r) => r.pumps[0].segments.map((s) => s.rate_mg_per_h);
  assert.ok(maxRelDiff(rates(w), rates(n)) <= 1e-12);
  assert.ok(w.pump_rate_mg_per_h instanceof Float64Array);
  assert.equal(w.pump_rate_mg_per_h.length, w.t_min.length);
  const steps = w.metrics.tci[0].steps;
  assert.deepEqual(steps.map((s) => s.target), [150, 200]);
  assert.ok(steps.every((s) => s.reached_at_min !== null && s.overshoot_percent < 0.1));
  const csv = wasm.simulateCsv(sc);
  assert.match(csv.split('\n')[0], /pump_rate_mg_per_h,pump_rate_ml_per_h/);
});

test('cshtCurves gives the CLI csht numbers and a recovery curve; withSpan sets horizon and step', () => {
  const sc = wasm.presets().find((p) => p.id === 'antidepressant_40min').scenario;
  const c = wasm.cshtCurves(sc);
  const cli = execFileSync(join(ROOT, 'target', 'release', 'ketasim'),
    ['csht', '--model', sc.model, '--weight-kg', '70', '--durations-min', '40,60,120'], { encoding: 'utf8' })
    .trim().split('\n').slice(1).map((l) => Number(l.split(',')[2]));
  for (const [i, d] of [40, 60, 120].entries()) {
    const k = c.durations_min.indexOf(d);
    assert.ok(Math.abs(c.half_time_min[k] - cli[i]) < 1e-4, `${d} min: ${c.half_time_min[k]} vs ${cli[i]}`);
  }
  assert.equal(c.recovery_min.length, c.durations_min.length);
  assert.ok(c.hold_ng_per_ml > c.threshold_ng_per_ml);
  assert.ok(c.recovery_min.every((v, i) => i === 0 || v >= c.recovery_min[i - 1] - 1e-9));
  assert.deepEqual(wasm.withSpan(sc, '2h'), { horizon_min: 120, output_step_min: 0.5 });
  const course = wasm.presets().find((p) => p.id === 'course_6_infusions').scenario;
  assert.ok(wasm.withSpan(course, 'course').horizon_min > 11 * 1440);
  assert.throws(() => wasm.withSpan(sc, 'week'), /unknown span 'week'/);
});
