// The kinetic-binding workload of the browser benchmark (issue 14): the engine's own
// initial-value problem (`odeProblem`: matrix, inputs, binding constants, grid — nothing is
// re-derived here) integrated by two plain-JavaScript solvers, ode45-cash-karp (Cash–Karp
// RK45, the fastest measured) and odex (Gragg–Bulirsch–Stoer), at the scenario's tolerances,
// next to the engine in wasm on the same problem.
import ode45 from 'ode45-cash-karp';
import { Solver } from 'odex';
import type { OdeProblem } from './engine/gen/OdeProblem';

/** Cp, Ce (ng/mL) and the bound fraction on the problem's grid. */
export interface Curves {
  cp: Float64Array;
  ce: Float64Array;
  bound: Float64Array;
}

/** Event times (input starts and ends, boluses) inside the grid, sorted, with 0 and the end. */
function events(p: OdeProblem): number[] {
  const end = p.t_min[p.t_min.length - 1];
  const ts = [0, end, ...p.rates.flatMap((r) => [r.t_start_min, r.t_end_min]), ...p.boluses.map((b) => b.t_min)];
  return [...new Set(ts.filter((t) => t >= 0 && t <= end))].sort((a, b) => a - b);
}

/** `dy/dt` of the problem with the input rates `u` of the current interval. */
function rhs(p: OdeProblem, u: Float64Array) {
  const m = p.states.length;
  const a = Float64Array.from(p.a);
  const lig = p.binding;
  return (dy: Float64Array | number[], y: Float64Array | number[]) => {
    for (let i = 0; i < m; i++) {
      let s = u[i];
      for (let j = 0; j < m; j++) s += a[i * m + j] * y[j];
      dy[i] = s;
    }
    let free = 1;
    for (let l = 0; l < lig.length; l++) free -= y[m + l];
    for (let l = 0; l < lig.length; l++) dy[m + l] = lig[l].kon_cu * y[lig[l].effect_state] * free - lig[l].koff_per_min * y[m + l];
  };
}

/** Input rates over `[t0, t1)`. */
function ratesOn(p: OdeProblem, t0: number, t1: number): Float64Array {
  const u = new Float64Array(p.states.length + p.binding.length);
  const mid = (t0 + t1) / 2;
  for (const r of p.rates) if (mid >= r.t_start_min && mid < r.t_end_min) u[r.state] += r.rate_mg_per_min;
  return u;
}

function record(p: OdeProblem, out: Curves, k: number, y: ArrayLike<number>): void {
  out.cp[k] = y[p.central_state] * p.central_to_ng_per_ml;
  out.ce[k] = y[p.effect_state] * p.effect_to_ng_per_ml;
  out.bound[k] = p.binding.length ? y[p.states.length] : NaN;
}

function addBoluses(p: OdeProblem, t: number, y: Float64Array | number[]): void {
  for (const b of p.boluses) if (Math.abs(b.t_min - t) < 1e-9) y[b.state] += b.amount_mg;
}

/**
 * ode45-cash-karp, interval by interval between events, stopping at every output time (it has
 * no dense output). Its error norm is set to the engine's: RMS over the states of
 * `error / (atol + rtol·|y|)` ≤ 1.
 */
export function solveOde45(p: OdeProblem): Curves {
  const n = p.states.length + p.binding.length;
  const out: Curves = { cp: new Float64Array(p.t_min.length), ce: new Float64Array(p.t_min.length), bound: new Float64Array(p.t_min.length) };
  const y = new Float64Array(n);
  const ev = events(p);
  let k = 0;
  const opts = {
    tol: 1,
    errorScaleFunction: (_i: number, _dt: number, yi: number) => p.atol + p.rtol * Math.abs(yi),
    errorReduceFunction: (_i: number, acc: number, e: number) => acc + e * e,
    errorPostFunction: (acc: number) => Math.sqrt(acc / n),
    verbose: false,
  };
  for (let s = 0; s + 1 < ev.length; s++) {
    const [t0, t1] = [ev[s], ev[s + 1]];
    addBoluses(p, t0, y);
    while (k < p.t_min.length && p.t_min[k] <= t0 + 1e-12) record(p, out, k++, y);
    const f = rhs(p, ratesOn(p, t0, t1));
    const integ = ode45(y, f, t0, Math.min(0.1, t1 - t0), opts);
    while (k < p.t_min.length && p.t_min[k] <= t1 + 1e-12) {
      integ.steps(Infinity, p.t_min[k]);
      record(p, out, k++, integ.y);
    }
    integ.steps(Infinity, t1);
  }
  return out;
}

/** odex (GBS extrapolation) with dense output on the grid, interval by interval. */
export function solveOdex(p: OdeProblem): Curves {
  const n = p.states.length + p.binding.length;
  const out: Curves = { cp: new Float64Array(p.t_min.length), ce: new Float64Array(p.t_min.length), bound: new Float64Array(p.t_min.length) };
  let y = new Array<number>(n).fill(0);
  const ev = events(p);
  const step = p.t_min[1] - p.t_min[0];
  const kOf = (t: number) => Math.round(t / step);
  for (let s = 0; s + 1 < ev.length; s++) {
    const [t0, t1] = [ev[s], ev[s + 1]];
    addBoluses(p, t0, y);
    const f = rhs(p, ratesOn(p, t0, t1));
    const solver = new Solver(n);
    solver.denseOutput = true;
    solver.relativeTolerance = p.rtol;
    solver.absoluteTolerance = p.atol;
    solver.maxSteps = 1e6;
    const g = (x: number, yy: number[]) => {
      const k = kOf(x);
      // a later interval overwrites its start: values at an event are recorded after it
      if (Math.abs(x - k * step) < 1e-9 && k < p.t_min.length) record(p, out, k, yy);
    };
    const r = solver.solve((_x, yy) => {
      const d = new Array<number>(n);
      f(d, yy);
      return d;
    }, t0, y, t1, solver.grid(step, g));
    y = r.y; // the solver's own end state
  }
  const last = p.t_min.length - 1;
  record(p, out, last, y);
  return out;
}

/** Largest relative error of `x` against `ref`, floored at 1e-6 × the reference's peak. */
export function maxRelErr(x: ArrayLike<number>, ref: ArrayLike<number>): number {
  let peak = 0;
  for (let i = 0; i < ref.length; i++) peak = Math.max(peak, Math.abs(ref[i]));
  let m = 0;
  for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(x[i] - ref[i]) / Math.max(Math.abs(ref[i]), 1e-6 * peak, Number.MIN_VALUE));
  return m;
}
