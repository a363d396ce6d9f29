// The message protocol shared by the engine workers (the page's and the population's): requests
// carry an id; results go back with their typed-array buffers transferred (no copy).

export type Op =
  | 'simulate'
  | 'simulateCsv'
  | 'validate'
  | 'withRoute'
  | 'withModel'
  | 'withSpan'
  | 'withStep'
  | 'cshtCurves'
  | 'linkFallback'
  | 'limits'
  | 'defaults'
  | 'models'
  | 'presets'
  | 'pdTables'
  | 'csht'
  | 'version'
  | 'trapForTests'
  // issue 12 (lecture mode, animated diagram)
  | 'lecture'
  | 'readLecture'
  | 'diagram'
  | 'populationLayout'
  | 'populationSimulate'
  | 'populationBlockStats'
  | 'populationDistribution'
  | 'simulatePopulation'
  | 'modelInfo';

export interface Request {
  id: number;
  op: Op;
  args: unknown[];
}

export type Response =
  | { id: number; ok: true; value: unknown; engineMs: number }
  | { id: number; ok: false; error: { message: string; field?: string; fatal?: boolean } };

function buffers(value: unknown, out: ArrayBuffer[]): void {
  if (value instanceof Float64Array || value instanceof Float32Array) {
    out.push(value.buffer as ArrayBuffer);
  } else if (Array.isArray(value)) {
    for (const v of value) buffers(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) buffers(v, out);
  }
}

/** Answers requests in a worker once `ready` (the wasm module) has resolved. */
export function serve(ready: Promise<unknown>, run: (op: Op, args: unknown[]) => unknown): void {
  self.onmessage = async (ev: MessageEvent<Request>) => {
    const { id, op, args } = ev.data;
    try {
      try {
        await ready;
      } catch (e) {
        // the module's WebAssembly did not load: say so, and let the page start a new worker
        const why = e instanceof Error ? e.message : String(e);
        const error = { message: `The engine's WebAssembly could not be loaded (${why}). Reload the page when online.`, fatal: true };
        (self as unknown as Worker).postMessage({ id, ok: false, error } satisfies Response);
        return;
      }
      const t0 = performance.now();
      const value = run(op, args);
      const engineMs = performance.now() - t0;
      const transfer: ArrayBuffer[] = [];
      buffers(value, transfer);
      (self as unknown as Worker).postMessage({ id, ok: true, value, engineMs } satisfies Response, transfer);
    } catch (e) {
      // a WebAssembly.RuntimeError (a trap) leaves the module unusable: the page replaces us
      const fatal = e instanceof WebAssembly.RuntimeError;
      const message = e instanceof Error ? (fatal ? `${e.name}: ${e.message}` : e.message) : String(e);
      const f = e instanceof Error ? (e as Error & { field?: unknown }).field : undefined;
      const field = typeof f === 'string' ? f : undefined;
      const error = { message, field, fatal };
      (self as unknown as Worker).postMessage({ id, ok: false, error } satisfies Response);
    }
  };
}
