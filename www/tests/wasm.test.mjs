// The built wasm package in Node: same numbers as the native CLI, the same numeric checks as
// the Rust tests, and errors — never panics, never a module left broken — for any input.
// Scenarios cross the boundary as JSON text (J = JSON.stringify), read by the CLI's reader.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import init, * as wasm from '../src/pkg/ketasim.js';
import initPop, * as pop from '../src/pkg-pop/ketasim_pop.js';
import { WWW, ROOT, fixture, readFixture, nativeJson, maxRelDiff } from './helpers.mjs';

const J = (x) => JSON.stringify(x);

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
  const w = wasm.simulate(J(readFixture('standard_infusion.json')));
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
    const worst = compareWithNative(wasm.simulate(J(p.scenario)), nativeJson(path));
    assert.ok(worst <= 1e-12, `${p.id}: ${worst}`);
  }
});

test('mass balance and occupancy bounds hold in the wasm build', () => {
  const models = wasm.models(70);
  for (const p of wasm.presets()) {
    for (const m of models) {
      // every preset on every model, its regimen adapted by the engine as the page does
      const model = m.id;
      const a = wasm.withModel(J(p.scenario), model);
      const r = wasm.simulate(J({ ...p.scenario, model: a.model, regimen: a.regimen }));
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
      () => wasm.simulate(J(sc)),
      (e) => e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && e.field === field && re.test(e.message),
    );
  }
  assert.ok(wasm.simulate(J(base)).analytes[0].cp_ng_per_ml.length > 0);
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
    for (const call of [() => wasm.simulate(J(sc)), () => wasm.validateScenario(J(sc)), () => pop.simulatePopulation(J(sc))]) {
      assert.throws(call, (e) => e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && e.message.includes(`unknown field \`${path}\``), path);
    }
  }
  // what is written back may leave out null and empty fields: they are not unknown
  const ok = { ...base, name: null, pd: { thresholds_ng_per_ml: [] }, population: { size: 3, weight_kg: null } };
  assert.ok(wasm.simulate(J(ok)).t_min.length > 0);
  assert.equal(pop.simulatePopulation(J(ok)).size, 3);
  // and every preset passes as it is
  for (const p of wasm.presets()) wasm.validateScenario(J(p.scenario));
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
      wasm.simulate(J(sc));
      ok++;
    } catch (e) {
      assert.ok(!(e instanceof WebAssembly.RuntimeError), `panic for ${JSON.stringify(sc)}: ${e}`);
      assert.ok(e instanceof Error && e.message.length > 0);
    }
  }
  assert.ok(ok > 0, 'some random scenarios should be valid');
  assert.ok(wasm.simulate(J(readFixture('standard_infusion.json'))).t_min.length === 361);
});

/** Values that throw when read, in every way a caller's value can: getters, Proxy traps,
 * revoked proxies, `valueOf`, endless iterators, plus what is not of the expected type. */
function hostileValues(base) {
  const getter = { ...base };
  Object.defineProperty(getter, 'horizon_min', { get() { throw new Error('x'); }, enumerable: true });
  const throwsString = { ...base };
  Object.defineProperty(throwsString, 'patient', { get() { throw 'not an Error'; }, enumerable: true });
  const trap = () => { throw new RangeError('trap'); };
  const proxy = new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap });
  const arrayProxy = new Proxy([1, 2, 3], { get: trap, getPrototypeOf: trap });
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  const lyingLength = { get length() { return this.n++ ? 1e9 : 2; }, n: 0, 0: 1, 1: 2 };
  const endless = new Float64Array(3);
  endless[Symbol.iterator] = function* () { for (;;) yield 1; };
  const typedProxy = new Proxy(new Float64Array(4), { get: trap, getPrototypeOf: trap });
  let deep = 'x';
  for (let i = 0; i < 10000; i++) deep = [deep];
  const deepText = J(base).replace('{', `{"name":${'['.repeat(10000)}"x"${']'.repeat(10000)},`);
  return [
    getter, throwsString, proxy, arrayProxy, revoked, lyingLength, endless, typedProxy,
    { valueOf: trap, toString: trap }, Symbol('s'), 10n, () => 1, null, undefined, NaN, -1, 2 ** 53, 1e308,
    { ...base, name: deep }, '', 'x'.repeat(5_000_000), deepText, '{"patient":', J([base]), '\ufeff' + J(base),
  ];
}

test('nothing a caller passes breaks the module: the bricking sequence, every export, every hostile value', () => {
  const base = readFixture('standard_infusion.json');
  const good = J(base);
  // the sequence that bricked the module (about 400 calls whose input threw while read)
  const bad = { ...base };
  Object.defineProperty(bad, 'horizon_min', { get() { throw new Error('x'); }, enumerable: true });
  for (let i = 0; i < 500; i++) {
    assert.throws(() => wasm.simulate(bad), (e) => e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && /must be the scenario's JSON text/.test(e.message));
  }
  assert.equal(wasm.simulate(good).t_min.length, 361);
  assert.throws(() => wasm.csht(5, 70, new Float64Array([10])), (e) => e instanceof Error && e.field === 'model' && /must be a string \(got a number\)/.test(e.message));
  assert.throws(() => wasm.simulate(J([base])), (e) => /a scenario is one JSON object/.test(e.message));
  // every export, every argument position, each hostile value, several rounds
  const calls = [
    (v) => wasm.simulate(v), (v) => wasm.validateScenario(v), (v) => wasm.simulateCsv(v), (v) => wasm.linkFallback(v),
    (v) => wasm.withRoute(v, 'oral'), (v) => wasm.withRoute(good, v), (v) => wasm.withModel(v, 'herd2007'), (v) => wasm.withModel(good, v),
    (v) => wasm.withSpan(v, '2h'), (v) => wasm.withSpan(good, v), (v) => wasm.withStep(v, 'tci'), (v) => wasm.withStep(good, v), (v) => wasm.cshtCurves(v),
    (v) => wasm.readLecture(v), (v) => wasm.diagram(v, 100), (v) => wasm.diagram(good, v), (v) => wasm.odeProblem(v), (v) => wasm.modelInfo(v),
    (v) => wasm.models(v), (v) => wasm.csht(v, 70, [10]), (v) => wasm.csht('kamp2020', v, [10]), (v) => wasm.csht('kamp2020', 70, v),
    (v) => pop.populationLayout(v), (v) => pop.simulatePopulation(v), (v) => pop.populationSimulate(v, 0, 1, [0, 361]),
    (v) => pop.populationSimulate(J({ ...base, population: { size: 2 } }), v, 1, [0, 361]), (v) => pop.populationSimulate(J({ ...base, population: { size: 2 } }), 0, 1, v),
    (v) => pop.populationBlockStats(v, 1, 1, 0, 100), (v) => pop.populationBlockStats([v], 1, 1, 0, 100), (v) => pop.populationBlockStats([new Float32Array(4)], v, 2, 0, 100),
    (v) => pop.populationDistribution(v, 20), (v) => pop.populationDistribution([1, 2, 3], v),
  ];
  const values = hostileValues(base);
  const kinds = new Map();
  for (let round = 0; round < 4; round++) {
    for (const call of calls) {
      for (const v of values) {
        try {
          call(v);
        } catch (e) {
          assert.ok(e instanceof Error, `a throw that is not an Error: ${String(e)}`);
          assert.ok(!(e instanceof WebAssembly.RuntimeError), `a trap: ${e.message} for ${call}`);
          kinds.set(e.constructor.name, (kinds.get(e.constructor.name) ?? 0) + 1);
        }
      }
    }
  }
  assert.ok(kinds.get('Error') > 1000, JSON.stringify([...kinds]));
  // still working, both modules
  assert.equal(wasm.simulate(good).t_min.length, 361);
  assert.deepEqual(wasm.csht('kamp2020', 70, new Float64Array([10])).length, 1);
  assert.equal(pop.simulatePopulation(J({ ...base, population: { size: 3 } })).size, 3);
});

test('a user-defined model, a lecture, a diagram trace and the ODE problem come from the engine as the CLI has them', () => {
  const user = readFixture('user_model_three_compartment.json');
  const r = wasm.simulate(J(user));
  assert.equal(r.model_id, 'user:three_compartment');
  const native = JSON.parse(execFileSync(join(ROOT, 'target', 'release', 'ketasim'), ['simulate', fixture('user_model_three_compartment.json'), '--format', 'json']).toString());
  assert.deepEqual([...r.analytes[0].cp_ng_per_ml], native.analytes[0].cp_ng_per_ml);
  assert.deepEqual([...r.occupancy], native.occupancy);
  const info = wasm.modelInfo(J(user));
  assert.ok(info.params.every((p) => p.provenance === 'USER'));
  assert.throws(() => wasm.simulate(J({ ...user, model_spec: { ...user.model_spec, params: [] } })), (e) => e.field === 'model_spec.params');
  // the lecture reads back; a mistake names its scene and field
  const lecture = wasm.lecture();
  assert.equal(lecture.scenes.length, 8);
  assert.deepEqual(wasm.readLecture(J(lecture)), lecture);
  const bad = structuredClone(lecture);
  bad.scenes[3].scenario.patient.weight_kg = -1;
  assert.throws(() => wasm.readLecture(J(bad)), (e) => e.field === 'scenes[3].scenario.patient.weight_kg');
  // the diagram trace: at most the points asked for, the simulation's amounts
  const base = readFixture('standard_infusion.json');
  const d = wasm.diagram(J(base), 50);
  assert.ok(d.t_min.length <= 50);
  const full = wasm.simulate(J(base));
  const k = full.t_min.indexOf(d.t_min[3]);
  assert.equal(d.nodes[0].amount_mg[3], full.compartments[0].amount_mg[k]);
  assert.throws(() => wasm.diagram(J(base), 1), (e) => e.field === 'max_points');
  // the ODE problem: the matrix of the states the engine integrates
  const p = wasm.odeProblem(J(base));
  assert.equal(p.a.length, p.states.length ** 2);
  assert.equal(p.rates.length, 1);
});

test('a scenario of the link falls back where this version cannot show it, with a note', () => {
  const base = readFixture('standard_infusion.json');
  const f = wasm.linkFallback(J({ ...base, model: 'nope2030', pd: { ke0_endpoint: 'telepathy' }, patient: { weight_kg: 70, sex: 'x' } }));
  assert.equal(f.scenario.model, 'kamp2020');
  assert.equal(f.notes.length, 3);
  assert.match(f.notes[0], /patient.sex 'x' is not one of the allowed values/);
  assert.match(f.notes[1], /model 'nope2030' is not one of this version's models: showing .* instead/);
  assert.match(f.notes[2], /pd.ke0_endpoint\) 'telepathy'/);
  // a binding of an unknown kind is shown as equilibrium; a wrong type of model, as the default
  const g = wasm.linkFallback(J({ ...base, model: 7, pd: { binding: { kind: 'slow', half_time_min: 5 } } }));
  assert.equal(g.scenario.model, 'kamp2020');
  assert.equal(g.scenario.pd.binding.kind, 'equilibrium');
  assert.equal(g.notes.length, 2);
  // anything else is the reader's error, named as validation names it
  assert.throws(() => wasm.linkFallback(J({ ...base, patient: { weight_kg: 'heavy' } })), (e) => e.field === 'patient.weight_kg');
  assert.equal(wasm.simulate(J(f.scenario)).t_min.length, 361);
  // a scenario that reads comes back whole (every default filled in), as a result echoes it
  assert.deepEqual(wasm.linkFallback(J(base)), { scenario: wasm.simulate(J(base)).scenario, notes: [] });
  assert.equal(wasm.linkFallback(J({ ...base, pd: {} })).scenario.pd.binding.kind, 'equilibrium');
});

test('one failing virtual patient is left out and named; the bands come from the rest', () => {
  const sc = {
    patient: { weight_kg: 70 }, regimen: [{ dose_mg: 400 }], horizon_min: 240, output_step_min: 60,
    pd: { binding: { kind: 'kinetic', half_time_min: 0.5 } },
    // Dopri5 with a step budget: the lightest patients' high concentrations make binding stiff
    solver: { method: 'dopri5', max_steps: 1000 },
    population: { size: 40, seed: 3, weight_kg: { uniform: { min: 5, max: 250 } } },
  };
  const whole = pop.simulatePopulation(J(sc));
  assert.ok(whole.failed.length > 0 && whole.failed.length < 40, `${whole.failed.length} failed`);
  assert.equal(whole.cmax_ng_per_ml.length + whole.failed.length, 40);
  assert.match(whole.failed[0].error, /raise solver\.max_steps \(now 1000\)/);
  // the same split across workers: rows of the patients that ran, failures listed by each
  const layout = pop.populationLayout(J(sc));
  const cuts = [0, layout.t_min.length];
  const parts = [[0, 13], [13, 27]].map(([s, c]) => pop.populationSimulate(J(sc), s, c, cuts));
  assert.deepEqual(parts.flatMap((p) => p.failed), whole.failed);
  const stats = pop.populationBlockStats(parts.map((p) => p.blocks[0]), layout.quantities.length, layout.t_min.length, layout.ce_quantity, layout.threshold_ng_per_ml);
  assert.deepEqual([...stats.fraction_above], whole.fraction_above);
  // natively the same patients fail, and the others give the same numbers (the stiffness is
  // met at a time that may differ in the last digits: the platform's maths under Dopri5)
  const native = nativePopulation(sc);
  const who = (r) => r.failed.map((f) => [f.index, f.weight_kg, f.factors, f.error.replace(/t = [0-9.e+-]+ min/g, 't = … min')]);
  assert.deepEqual(who(whole), who(native));
  assert.deepEqual({ ...whole, failed: [] }, { ...native, failed: [] });
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
  const csv = wasm.simulateCsv(J(readFixture('standard_infusion.json')));
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
    const w = pop.simulatePopulation(J(sc));
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
    const other = pop.simulatePopulation(J({ ...sc, population: { ...sc.population, seed: sc.population.seed + 1 } }));
    assert.notDeepEqual(other.cmax_ng_per_ml, w.cmax_ng_per_ml);
  }
});

test('the SIMD build of the population module gives the plain build’s numbers bit for bit', async () => {
  // a second instance of the same glue (a module URL of its own), with the SIMD binary
  const simd = await import('../src/pkg-pop/ketasim_pop.js?simd');
  await simd.default({ module_or_path: readFileSync(join(WWW, 'src', 'pkg-pop', 'ketasim_pop_simd_bg.wasm')) });
  const kinetic = (method) => ({ pd: { ...readFixture('standard_infusion.json').pd, binding: { kind: 'kinetic', half_time_min: 10 } }, solver: { ...readFixture('standard_infusion.json').solver, method } });
  const cases = [
    ...POPULATIONS.map(populationScenario),
    ...['exact_kinetic', 'dopri5'].map((m) => populationScenario({ ...POPULATIONS[0], ...kinetic(m) })),
  ];
  for (const sc of cases) {
    const a = pop.simulatePopulation(J(sc));
    const b = simd.simulatePopulation(J(sc));
    assert.deepEqual(b, a, `${sc.model} ${sc.solver.method}`);
    assert.ok(a.bands[0].series[4][20] > 0, 'non-trivial numbers');
  }
});

test('subjects split across workers and merged by time block give the single-run result', () => {
  const sc = populationScenario(POPULATIONS[1]);
  const whole = pop.simulatePopulation(J(sc));
  const layout = pop.populationLayout(J(sc));
  const npts = layout.t_min.length;
  const nq = layout.quantities.length;
  const cuts = new Uint32Array([0, 50, 51, npts]);
  const ranges = [[0, 64], [64, 1], [65, 135]];
  const runs = ranges.map(([s, c]) => pop.populationSimulate(J(sc), s, c, cuts));
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
  assert.throws(() => pop.populationLayout(J(big)), (e) => e.field === 'population.size' && /20000/.test(e.message));
  assert.throws(() => pop.simulatePopulation(J({ ...sc, population: { size: 0 } })), (e) => e.field === 'population.size');
  assert.throws(
    () => pop.populationLayout(J({ ...sc, horizon_min: 1440, output_step_min: 0.25, population: { size: 10000 } })),
    (e) => e.field === 'population.size' && /allowed 1 to 1388 virtual patients/.test(e.message),
  );
  assert.throws(() => pop.populationSimulate(J(sc), 299, 2, new Uint32Array([0, 151])), (e) => e.field === 'count' && /from 0 to 1$/.test(e.message));
  assert.throws(() => pop.populationSimulate(J(sc), 0, 2, new Uint32Array([0, 7])), (e) => e.field === 'cuts');
  assert.throws(() => pop.populationBlockStats([new Float32Array(5)], 2, 2, 0, 100), (e) => e.field === 'parts[0]');
  assert.throws(() => pop.populationBlockStats([[1, 2, 3, 4]], 2, 2, 0, 100), (e) => e.field === 'parts[0]' && /Float32Array/.test(e.message));
  // the statistics take at most the browser's population, however the parts are split
  // (once: 55 s and 640 MB for parts nobody had bounded)
  const cap = (np) => Math.min(20000, Math.floor(8_000_000 / np)) * np;
  assert.throws(() => pop.populationBlockStats([new Float32Array(cap(1) + 1)], 1, 1, 0, 100), (e) => e.field === undefined && /parts\[0\]: values = 20001 exceeds the limit of 20000/.test(e.message));
  assert.throws(() => pop.populationBlockStats([new Float32Array(cap(400)), new Float32Array(400)], 1, 400, 0, 100), (e) => /parts: values in all .* = 8000400 exceeds the limit of 8000000/.test(e.message));
  assert.equal(pop.populationBlockStats([new Float32Array(cap(400))], 1, 400, 0, 100).fraction_above.length, 400);
  // 10 000 subjects on the standard 6-h grid are allowed
  const ok = pop.populationLayout(J({ ...readFixture('standard_infusion.json'), population: { size: 10000 } }));
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
      () => pop.populationLayout(J(sc)),
      () => pop.simulatePopulation(J(sc)),
      () => pop.populationSimulate(J(sc), Math.floor(num()) >>> 0, Math.floor(num()) >>> 0, new Uint32Array([0, Math.floor(num()) >>> 0])),
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
  assert.equal(pop.simulatePopulation(J(base)).size, 300); // the module still works
});

test('the wasm result has exactly the keys of the serde (CLI) JSON: one shape, one case convention', () => {
  const w = wasm.simulate(J(readFixture('standard_infusion.json')));
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
  const w = wasm.simulate(J(sc));
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
  const csv = wasm.simulateCsv(J(sc));
  assert.match(csv.split('\n')[0], /pump_rate_mg_per_h,pump_rate_ml_per_h/);
});

test('cshtCurves gives the CLI csht numbers and a recovery curve; withSpan sets horizon and step', () => {
  const sc = wasm.presets().find((p) => p.id === 'antidepressant_40min').scenario;
  const c = wasm.cshtCurves(J(sc));
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
  assert.deepEqual(wasm.withSpan(J(sc), '2h'), { horizon_min: 120, output_step_min: 0.5 });
  const course = wasm.presets().find((p) => p.id === 'course_6_infusions').scenario;
  assert.ok(wasm.withSpan(J(course), 'course').horizon_min > 11 * 1440);
  assert.throws(() => wasm.withSpan(J(sc), 'week'), /unknown span 'week'/);
  // the engine places a new step: a second pump after the first
  const tci = wasm.presets().find((p) => p.id === 'tci_effect_site').scenario;
  assert.deepEqual(wasm.withStep(J(tci), 'tci').regimen[1].schedule, { at_min: [60] });
  assert.throws(() => wasm.withStep(J(tci), 'pill'), /unknown step kind 'pill'/);
});

test('issue 12: the CLI’s lecture, each scene’s scenario as the engine runs it, and a diagram node per compartment of every model', () => {
  const l = wasm.lecture();
  const bin = join(ROOT, 'target', 'release', 'ketasim');
  assert.deepEqual(l, JSON.parse(execFileSync(bin, ['lecture']).toString()), 'the CLI prints the same lecture');
  assert.equal(l.scenes.length, 8);
  // each scene's scenario is one the engine simulates as given
  for (const s of l.scenes) assert.deepEqual(wasm.simulate(J(s.scenario)).scenario, s.scenario);
  const bad = structuredClone(l);
  bad.scenes[3].scenario.regimen[0].dose_mg_per_kg = -1;
  assert.throws(() => wasm.readLecture(J(bad)), (e) => e.field === 'scenes[3].scenario.regimen[0].dose_mg_per_kg');
  assert.throws(() => wasm.readLecture(J({ ...l, scenes: [] })), (e) => e.field === 'scenes');
  // the diagram: one node per compartment of every model, on at most max_points of the run's grid
  const base = readFixture('standard_infusion.json');
  for (const m of wasm.models(70)) {
    const sc = { ...base, model: m.id, regimen: wasm.withModel(J(base), m.id).regimen };
    const d = wasm.diagram(J(sc), 100);
    assert.deepEqual(d.nodes.map((n) => n.id), m.compartments.map((c) => c.name), m.id);
    assert.ok(d.t_min.length <= 100 && d.t_min.at(-1) === sc.horizon_min, m.id);
    for (const e of d.edges) assert.equal(e.flux_mg_per_min.length, d.t_min.length);
  }
  assert.throws(() => wasm.diagram(J(base), 20001), (e) => e.field === 'max_points');
});
