// Browser benchmark: the standard infusion in wasm (exact propagator and Dopri5) and in a
// plain-JavaScript ODE solver (odex, Gragg–Bulirsch–Stoer extrapolation, at the same tolerances),
// side by side in one run; then virtual populations in the app's worker pool.
import './bench.css';
import { Solver } from 'odex';
import { loadDirect } from './engine/direct';
import type { PopBuild } from './engine/popwasm';
import { PopulationPool } from './engine/population';
import type { Defaults, ModelInfo, Preset, Scenario, SimResult } from './engine/types';
import type { OdeProblem } from './engine/gen/OdeProblem';
import { maxRelErr, solveOde45, solveOdex } from './benchKinetic';

interface Row {
  engine: string;
  usPerRun: number;
  maxAbsDiffNgPerMl: number | null;
}
interface PopRow {
  subjects: number;
  workers: number;
  binding: 'equilibrium' | 'kinetic';
  msToBands: number;
  usPerSubject: number;
}
/** Per-batch ratios of two engines' times from one interleaved run. */
interface RatioStats {
  median: number;
  min: number;
  max: number;
  batches: number;
}
/** A row of the kinetic-binding table: µs per subject and the largest relative errors. */
interface KRow {
  engine: string;
  usPerSubject: number;
  relErrCp: number;
  relErrCe: number;
  relErrBound: number;
}
declare global {
  interface Window {
    __popCall?: { build: PopBuild; json: Record<'exact_kinetic' | 'dopri5', string>; time: (method: 'exact_kinetic' | 'dopri5', reps: number) => number };
    __bench: { done: boolean; popBuild?: PopBuild; single: Row[]; kinetic: KRow[]; kineticRatios?: { ode45OverWasm: RatioStats; odexOverWasm: RatioStats; wasmDopri5OverWasm: RatioStats }; population: PopRow[]; ratioWasmDopri5OverJs: number | null; ratioWasmExactOverJs: number | null; userAgent: string; cores: number };
  }
}

const $ = (id: string) => document.getElementById(id)!;
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median over `batches` of the mean µs per call of `f` over `reps` calls. */
function time(f: () => unknown, reps: number, batches = 7): number {
  for (let i = 0; i < Math.min(reps, 50); i++) f(); // warm-up (JIT, caches)
  const per: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    per.push(((performance.now() - t0) * 1000) / reps);
  }
  return median(per);
}

/**
 * µs per call of each of `fs` (`reps[i]` calls of `fs[i]` per batch, each divided by `per[i]`),
 * batch after batch **interleaved** (f0, f1, …, f0, f1, …), so a drift of the machine's speed
 * within the run falls on every engine alike: the per-batch ratios are what to compare.
 */
function timeInterleaved(fs: (() => unknown)[], reps: number[], per: number[], batches: number): number[][] {
  fs.forEach((f, i) => {
    for (let k = 0; k < Math.min(reps[i], 50); k++) f(); // warm-up (JIT, caches)
  });
  const out: number[][] = fs.map(() => []);
  for (let b = 0; b < batches; b++) {
    fs.forEach((f, i) => {
      const t0 = performance.now();
      for (let k = 0; k < reps[i]; k++) f();
      out[i].push(((performance.now() - t0) * 1000) / reps[i] / per[i]);
    });
  }
  return out;
}

/** Median, smallest and largest of the per-batch ratios `a[b] / c[b]`. */
function ratioStats(a: number[], c: number[]): RatioStats {
  const r = a.map((x, b) => x / c[b]);
  return { median: median(r), min: Math.min(...r), max: Math.max(...r), batches: r.length };
}

/**
 * The same model in plain JavaScript: three mammillary compartments (amounts, mg) and the
 * effect site (concentration, mg/L), integrated by odex segment by segment (the end of the
 * infusion is a boundary), dense output on the 1-min grid. Returns Cp and Ce in ng/mL.
 */
function jsRun(p: { cl: number; q2: number; q3: number; v1: number; v2: number; v3: number; ke0: number }, rate: number, tInf: number, horizon: number, rtol: number, atol: number) {
  const n = Math.round(horizon) + 1;
  const cp = new Float64Array(n);
  const ce = new Float64Array(n);
  const k10 = p.cl / p.v1;
  const k12 = p.q2 / p.v1;
  const k21 = p.q2 / p.v2;
  const k13 = p.q3 / p.v1;
  const k31 = p.q3 / p.v3;
  let y = [0, 0, 0, 0];
  for (const [t0, t1, r] of [
    [0, tInf, rate],
    [tInf, horizon, 0],
  ]) {
    const s = new Solver(4);
    s.denseOutput = true;
    s.relativeTolerance = rtol;
    s.absoluteTolerance = atol;
    const f = (_t: number, x: number[]) => [
      r - (k10 + k12 + k13) * x[0] + k21 * x[1] + k31 * x[2],
      k12 * x[0] - k21 * x[1],
      k13 * x[0] - k31 * x[2],
      p.ke0 * (x[0] / p.v1 - x[3]),
    ];
    const out = s.solve(f, t0, y, t1, s.grid(1, (t: number, x: number[]) => {
      const k = Math.round(t);
      if (k < n && Math.abs(t - k) < 1e-9) {
        cp[k] = (x[0] / p.v1) * 1000;
        ce[k] = x[3] * 1000;
      }
    }));
    y = out.y; // restart from the solver's own final state
  }
  return { cp, ce };
}

async function run(): Promise<void> {
  $('status').textContent = 'running…';
  await new Promise((r) => setTimeout(r, 30));
  // ?pop=simd|plain: that build of the population module (default: the one this browser gets)
  const force = new URLSearchParams(location.search).get('pop');
  const { page: wasm, population: popWasm, popBuild } = await loadDirect(force === 'simd' || force === 'plain' ? force : undefined);
  const preset = (wasm.presets() as Preset[]).find((p) => p.id === 'antidepressant_40min')!;
  const sc: Scenario = preset.scenario;
  const defaults = wasm.defaults() as Defaults;
  const exact: Scenario = { ...sc, solver: { ...sc.solver, method: 'exact' } };
  const dopri: Scenario = { ...sc, solver: { ...sc.solver, method: 'dopri5' } };
  const exactJson = JSON.stringify(exact);
  const dopriJson = JSON.stringify(dopri);
  const ref = wasm.simulate(exactJson) as SimResult;
  const kamp = (wasm.models(70) as ModelInfo[]).find((m) => m.id === sc.model)!;
  const val = (sym: string) => kamp.params.find((q) => q.symbol === sym)!.value;
  // 70 kg is the reference weight of the allometric scaling: values as published; L/h → L/min
  const p = { cl: val('CL') / 60, q2: val('Q2') / 60, q3: val('Q3') / 60, v1: val('V1'), v2: val('V2'), v3: val('V3'), ke0: ref.ke0_per_min };
  const item = sc.regimen[0];
  const doseMg = (item.dose_mg_per_kg ?? 0) * sc.patient.weight_kg;
  const tInf = item.duration_min ?? 40;
  const rtol = 1e-6;
  const atol = 1e-9; // the scenario defaults (src/scenario.rs)
  const js = jsRun(p, doseMg / tInf, tInf, sc.horizon_min, rtol, atol);
  const dop = wasm.simulate(dopriJson) as SimResult;
  const diff = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  const refCp = ref.analytes[0].cp_ng_per_ml;
  const refCe = ref.analytes[0].ce_ng_per_ml;
  // the per-subject path of populations (what the bands cost per patient), 100 identical
  // patients per call (weight fixed, a model without ω²), so the call overhead is amortised
  const SUBJECTS = 100;
  const perSubjectOf = (base: Scenario, method: Scenario['solver']['method']) => {
    const s: Scenario = { ...base, solver: { ...base.solver, method }, population: { ...defaults.population, size: SUBJECTS, seed: 1, weight_kg: { fixed: base.patient.weight_kg } } };
    const cuts = new Uint32Array([0, ref.t_min.length]);
    const json = JSON.stringify(s);
    const r = popWasm.populationSimulate(json, 0, SUBJECTS, cuts) as { blocks: Float32Array[] };
    const n = ref.t_min.length;
    const nq = r.blocks[0].length / SUBJECTS / n; // quantities: Cp per analyte, Ce, occupancy
    const row = r.blocks[0];
    const curves = { cp: Float64Array.from(row.subarray(0, n)), ce: Float64Array.from(row.subarray((nq - 2) * n, (nq - 1) * n)), bound: Float64Array.from(row.subarray((nq - 1) * n, nq * n)) };
    const call = () => popWasm.populationSimulate(json, 0, SUBJECTS, cuts);
    return { call, json, curves, us: () => time(call, 10, 9) / SUBJECTS };
  };
  const perSubject = (method: 'exact' | 'dopri5') => {
    const r = perSubjectOf(sc, method);
    return { us: r.us(), d: Math.max(diff(r.curves.cp, refCp), diff(r.curves.ce, refCe)) };
  };
  // ?quick: one-patient tables only, no populations (the wasm-opt comparison runs this)
  const quick = new URLSearchParams(location.search).has('quick');
  const pe = perSubject('exact');
  const pd = perSubject('dopri5');
  const single: Row[] = [
    { engine: 'wasm, population path, exact propagator', usPerRun: pe.us, maxAbsDiffNgPerMl: pe.d },
    { engine: 'wasm, population path, Dopri5 (ode_solvers)', usPerRun: pd.us, maxAbsDiffNgPerMl: pd.d },
    { engine: 'JavaScript, odex (GBS)', usPerRun: time(() => jsRun(p, doseMg / tInf, tInf, sc.horizon_min, rtol, atol), 100, 9), maxAbsDiffNgPerMl: Math.max(diff(js.cp, refCp), diff(js.ce, refCe)) },
    { engine: 'wasm simulate(), exact, full result object to JS', usPerRun: time(() => wasm.simulate(exactJson), 200), maxAbsDiffNgPerMl: 0 },
    { engine: 'wasm simulate(), Dopri5, full result object to JS', usPerRun: time(() => wasm.simulate(dopriJson), 100), maxAbsDiffNgPerMl: Math.max(diff(dop.analytes[0].cp_ng_per_ml, refCp), diff(dop.analytes[0].ce_ng_per_ml, refCe)) },
  ];
  $('single').querySelector('tbody')!.innerHTML = single
    .map((r) => `<tr><td>${r.engine}</td><td>${r.usPerRun.toFixed(1)}</td><td>${(r.usPerRun / single[0].usPerRun).toFixed(2)}</td><td>${r.maxAbsDiffNgPerMl === 0 ? '(reference)' : r.maxAbsDiffNgPerMl?.toExponential(2) + ' ng/mL'}</td></tr>`)
    .join('');

  // kinetic binding (half-time 10 min): the engine's problem, the same tolerances everywhere;
  // errors against Dopri5 at rtol 1e-11
  const kin: Scenario = { ...sc, pd: { ...sc.pd, binding: { kind: 'kinetic', half_time_min: 10 } } };
  const problem = wasm.odeProblem(JSON.stringify(kin)) as OdeProblem;
  const kref = wasm.simulate(JSON.stringify({ ...kin, solver: { ...kin.solver, method: 'dopri5', rtol: 1e-11, atol: 1e-14 } })) as SimResult;
  const errs = (c: { cp: ArrayLike<number>; ce: ArrayLike<number>; bound: ArrayLike<number> }) => ({
    relErrCp: maxRelErr(c.cp, kref.analytes[0].cp_ng_per_ml),
    relErrCe: maxRelErr(c.ce, kref.analytes[0].ce_ng_per_ml),
    relErrBound: maxRelErr(c.bound, kref.occupancy),
  });
  const kRow = (engine: string, us: number[], curves: { cp: ArrayLike<number>; ce: ArrayLike<number>; bound: ArrayLike<number> }): KRow => ({ engine, usPerSubject: median(us), ...errs(curves) });
  // the four engines timed batch by batch in turn (9 batches: wasm 10 calls of 100 patients,
  // JavaScript 20 patients each)
  const wAuto = perSubjectOf(kin, 'exact_kinetic');
  const wDop = perSubjectOf(kin, 'dopri5');
  const [tAuto, tDop, tOde45, tOdex] = timeInterleaved([wAuto.call, wDop.call, () => solveOde45(problem), () => solveOdex(problem)], [10, 10, 20, 20], [SUBJECTS, SUBJECTS, 1, 1], 9);
  const kinetic: KRow[] = [
    kRow('wasm, population path, exact propagator + implicit binding (auto)', tAuto, wAuto.curves),
    kRow('wasm, population path, Dopri5 (ode_solvers)', tDop, wDop.curves),
    kRow('JavaScript, ode45-cash-karp (RK45), stops at each output time', tOde45, solveOde45(problem)),
    kRow('JavaScript, odex (GBS), dense output', tOdex, solveOdex(problem)),
  ];
  const kineticRatios = { ode45OverWasm: ratioStats(tOde45, tAuto), odexOverWasm: ratioStats(tOdex, tAuto), wasmDopri5OverWasm: ratioStats(tDop, tAuto) };
  const fmt = (r: RatioStats) => `${r.median.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)} over ${r.batches} batches)`;
  $('kinetic-ratios').textContent = `Per-batch ratios to wasm auto, median (range): ode45-cash-karp ${fmt(kineticRatios.ode45OverWasm)}, odex ${fmt(kineticRatios.odexOverWasm)}, wasm Dopri5 ${fmt(kineticRatios.wasmDopri5OverWasm)}.`;
  $('kinetic').querySelector('tbody')!.innerHTML = kinetic
    .map((r) => `<tr><td>${r.engine}</td><td>${r.usPerSubject.toFixed(1)}</td><td>${(r.usPerSubject / kinetic[0].usPerSubject).toFixed(2)}</td><td>${r.relErrCp.toExponential(1)}</td><td>${r.relErrCe.toExponential(1)}</td><td>${r.relErrBound.toExponential(1)}</td></tr>`)
    .join('');
  window.__bench = { ...window.__bench, popBuild, single, kinetic, kineticRatios };
  // for tests/wasm-native-pairs.mjs: each kinetic engine's population call (its scenario JSON,
  // the same the native example times) and a timer of `reps` calls, µs per subject
  window.__popCall = {
    build: popBuild,
    json: { exact_kinetic: wAuto.json, dopri5: wDop.json },
    time: (method, reps) => {
      const call = method === 'dopri5' ? wDop.call : wAuto.call;
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) call();
      return ((performance.now() - t0) * 1000) / reps / SUBJECTS;
    },
  };

  const pool = new PopulationPool();
  const population: PopRow[] = [];
  for (const [size, binding] of (quick ? [] : [[1000, 'equilibrium'], [10000, 'equilibrium'], [1000, 'kinetic'], [10000, 'kinetic']]) as [number, PopRow['binding']][]) {
    for (const workers of [1, pool.maxWorkers]) {
      const base = binding === 'kinetic' ? kin : sc;
      const s: Scenario = { ...base, population: { ...defaults.population, size, seed: 1 } };
      await pool.run(s, workers); // warm-up (worker start, wasm compile)
      const ts: number[] = [];
      for (let i = 0; i < (size > 5000 ? 5 : 15); i++) ts.push((await pool.run(s, workers)).timing.totalMs);
      const ms = median(ts);
      population.push({ subjects: size, workers, binding, msToBands: ms, usPerSubject: (ms * 1000) / size });
      $('pop').querySelector('tbody')!.innerHTML = population
        .map((r) => `<tr><td>${r.subjects}</td><td>${r.binding}</td><td>${r.workers}</td><td>${r.msToBands.toFixed(1)}</td><td>${r.usPerSubject.toFixed(1)}</td></tr>`)
        .join('');
    }
  }
  const rDop = single[1].usPerRun / single[2].usPerRun;
  const rExact = single[0].usPerRun / single[2].usPerRun;
  // the reference row is the exact full simulate(); the population path is compared to it too
  $('note').textContent = `wasm/JS time ratio: Dopri5 ${rDop.toFixed(3)}, exact propagator ${rExact.toFixed(3)}. Population module: ${popBuild === 'simd' ? 'SIMD build' : 'plain build (no SIMD)'}. ${navigator.userAgent}; ${navigator.hardwareConcurrency} logical cores.`;
  window.__bench = { done: true, popBuild, single, kinetic, kineticRatios, population, ratioWasmDopri5OverJs: rDop, ratioWasmExactOverJs: rExact, userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency };
  $('status').textContent = 'done';
}

window.__bench = { done: false, single: [], kinetic: [], population: [], ratioWasmDopri5OverJs: null, ratioWasmExactOverJs: null, userAgent: '', cores: 0 };
$('run').addEventListener('click', () => void run());
void run();
