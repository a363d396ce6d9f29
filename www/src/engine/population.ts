// Virtual populations across several Web Workers. Subjects are split into contiguous ranges,
// one per worker; every worker cuts its subjects' rows into blocks of output points; block b
// of every worker goes to worker b, which computes the percentiles of those points over all
// subjects. Subject i always draws from random stream i of the seed, and a percentile does not
// depend on the order of the values, so the result is the same for any number of workers —
// and the same as the single-call `simulatePopulation` (the e2e test checks it bit for bit).
import { EngineFailure, EngineWorker, LatestOnly } from './rpc';
import type { Op } from './protocol';
import type { Distribution, FailedSubject, Quantity, Scenario } from './types';

export type { Quantity };

export type { Distribution };

export interface PopulationLayout {
  size: number;
  t_min: Float64Array;
  quantities: Quantity[];
  ce_quantity: number;
  threshold_ng_per_ml: number;
  percentiles: Float64Array;
  /** Bins of the Cmax and recovery histograms (the engine's). */
  histogram_bins: number;
}

export interface PopulationBands {
  layout: PopulationLayout;
  /** Per quantity: one series per percentile of `layout.percentiles` (the engine's). */
  bands: { quantity: Quantity; series: Float64Array[] }[];
  /** Fraction of subjects with Ce ≥ threshold, per point. */
  fraction_above: Float64Array;
  cmax: Distribution;
  recovery: Distribution;
  /** Subjects whose simulation failed (index order): left out of the bands and distributions. */
  failed: FailedSubject[];
  workers: number;
  /** Whether this was the pool's first run (its time includes starting the workers and their wasm). */
  coldStart: boolean;
  /** ms from the request to the bands: total, and its simulate / percentile phases. */
  timing: { totalMs: number; simulateMs: number; statsMs: number };
}

interface SimPart {
  blocks: Float32Array[];
  weight_kg: Float64Array;
  cmax_ng_per_ml: Float64Array;
  recovery_min: Float64Array;
  failed: FailedSubject[];
}

interface BlockStats {
  bands: Float64Array;
  fraction_above: Float64Array;
}

/** `n` items in `parts` contiguous ranges as even as possible: `[start, count][]`. */
export function split(n: number, parts: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const count = Math.floor((n * (i + 1)) / parts) - Math.floor((n * i) / parts);
    out.push([start, count]);
    start += count;
  }
  return out.filter(([, c]) => c > 0);
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Fewest subjects worth a worker of their own (below this, messaging costs more). */
const SUBJECTS_PER_WORKER = 150;

export type LatestBands = PopulationBands | null;

export class PopulationPool {
  private workers: EngineWorker[] = [];
  private runs = 0;

  /**
   * `maxWorkers`: by default one per logical core (at least 2, at most 8). `onCrash` is told
   * when a worker fails to load or dies (it is replaced on the next call).
   */
  constructor(
    readonly maxWorkers = Math.max(2, Math.min(8, navigator.hardwareConcurrency || 2)),
    private onCrash: (message: string, replaced: boolean) => void = () => {},
  ) {}

  private worker(i: number): EngineWorker {
    while (this.workers.length <= i) {
      this.workers.push(
        new EngineWorker(() => new Worker(new URL('./popworker.ts', import.meta.url), { type: 'module' }), this.onCrash, 'population'),
      );
    }
    return this.workers[i];
  }

  private async call<T>(w: number, op: Op, args: unknown[], transfer: ArrayBuffer[] = []): Promise<T> {
    return (await this.worker(w).call(op, args, transfer)).value as T;
  }

  /** Starts the workers (and their wasm) ahead of the first run. */
  warm(): void {
    for (let i = 0; i < this.maxWorkers; i++) this.worker(i);
  }

  /** Runs the scenario's population on up to `workers` workers. */
  async run(scenario: Scenario, workers = this.maxWorkers): Promise<PopulationBands> {
    const t0 = performance.now();
    const coldStart = this.runs++ === 0;
    const layout = await this.call<PopulationLayout>(0, 'populationLayout', [scenario]);
    const npts = layout.t_min.length;
    const nq = layout.quantities.length;
    const ranges = split(layout.size, Math.max(1, Math.min(workers, Math.ceil(layout.size / SUBJECTS_PER_WORKER))));
    const w = ranges.length;
    // one block of points per worker (each at least one point)
    const cutList = split(npts, Math.min(w, npts)).map(([s]) => s);
    cutList.push(npts);
    const cuts = new Uint32Array(cutList);
    const sims = await Promise.all(
      ranges.map(([start, count], i) => this.call<SimPart>(i, 'populationSimulate', [scenario, start, count, cuts])),
    );
    const t1 = performance.now();
    const failed = sims.flatMap((s) => s.failed);
    if (failed.length === layout.size) {
      const f = failed[0];
      throw new EngineFailure({ message: `All ${layout.size} virtual patients failed; patient ${f.index} (weight ${f.weight_kg} kg): ${f.error}` });
    }
    const nBlocks = cuts.length - 1;
    const statsP = Array.from({ length: nBlocks }, (_, b) => {
      // a worker whose subjects all failed has no rows
      const parts = sims.map((s) => s.blocks[b]).filter((p) => p.length > 0);
      return this.call<BlockStats>(
        b % w,
        'populationBlockStats',
        [parts, nq, cuts[b + 1] - cuts[b], layout.ce_quantity, layout.threshold_ng_per_ml],
        parts.map((p) => p.buffer as ArrayBuffer),
      );
    });
    const cmax = concat(sims.map((s) => s.cmax_ng_per_ml));
    const rec = concat(sims.map((s) => s.recovery_min));
    const distP = Promise.all([
      this.call<Distribution>(0, 'populationDistribution', [cmax, layout.histogram_bins], [cmax.buffer as ArrayBuffer]),
      this.call<Distribution>(w - 1, 'populationDistribution', [rec, layout.histogram_bins], [rec.buffer as ArrayBuffer]),
    ]);
    const [stats, [dCmax, dRec]] = await Promise.all([Promise.all(statsP), distP]);
    // join the blocks: bands[q][j] over all points
    const bands = layout.quantities.map((quantity, q) => ({
      quantity,
      series: Array.from(layout.percentiles, (_, j) => {
        const out = new Float64Array(npts);
        stats.forEach((st, b) => {
          const n = cuts[b + 1] - cuts[b];
          const o = (q * layout.percentiles.length + j) * n;
          out.set(st.bands.subarray(o, o + n), cuts[b]);
        });
        return out;
      }),
    }));
    const fraction_above = new Float64Array(npts);
    stats.forEach((st, b) => fraction_above.set(st.fraction_above, cuts[b]));
    const t2 = performance.now();
    return {
      layout,
      bands,
      fraction_above,
      cmax: dCmax,
      recovery: dRec,
      failed,
      workers: w,
      coldStart,
      timing: { totalMs: t2 - t0, simulateMs: t1 - t0, statsMs: t2 - t1 },
    };
  }

  private latest = new LatestOnly((s: Scenario) => this.run(s));

  /** Runs `scenario` unless a newer request arrives first (superseded callers get `null`). */
  runLatest(scenario: Scenario): Promise<LatestBands> {
    return this.latest.request(scenario);
  }

  /** Workers replaced after a trap so far. */
  get replacements(): number {
    return this.workers.reduce((n, w) => n + w.replacements, 0);
  }

  /** Makes worker `i`'s WebAssembly trap (`trapForTests`): for the tests of the replacement. */
  async trapForTests(i = 0): Promise<void> {
    await this.call(i, 'trapForTests', []);
  }

  /** The whole population in one worker, one call (reference for tests and the bench page). */
  async single(scenario: Scenario): Promise<unknown> {
    return this.call<unknown>(0, 'simulatePopulation', [scenario]);
  }
}
