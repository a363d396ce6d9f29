// Module Web Worker that owns the wasm engine. Requests carry an id; results go back with
// their Float64Array buffers transferred (no copy).
import init, * as wasm from '../pkg/ketasim.js';
import wasmUrl from '../pkg/ketasim_bg.wasm?url';

export type Op = 'simulate' | 'simulateCsv' | 'validate' | 'models' | 'presets' | 'pdTables' | 'csht' | 'version';

export interface Request {
  id: number;
  op: Op;
  args: unknown[];
}

export type Response =
  | { id: number; ok: true; value: unknown; engineMs: number }
  | { id: number; ok: false; error: { message: string; field?: string } };

const ready = init({ module_or_path: wasmUrl });

function buffers(value: unknown, out: ArrayBuffer[]): void {
  if (value instanceof Float64Array) {
    out.push(value.buffer as ArrayBuffer);
  } else if (Array.isArray(value)) {
    for (const v of value) buffers(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) buffers(v, out);
  }
}

function run(op: Op, args: unknown[]): unknown {
  switch (op) {
    case 'simulate':
      return wasm.simulate(args[0]);
    case 'simulateCsv':
      return wasm.simulateCsv(args[0]);
    case 'validate':
      return wasm.validateScenario(args[0]);
    case 'models':
      return wasm.models(args[0] as number);
    case 'presets':
      return wasm.presets();
    case 'pdTables':
      return wasm.pdTables();
    case 'csht':
      return wasm.csht(args[0] as string, args[1] as number, new Float64Array(args[2] as number[]));
    case 'version':
      return wasm.version();
  }
}

self.onmessage = async (ev: MessageEvent<Request>) => {
  const { id, op, args } = ev.data;
  try {
    await ready;
    const t0 = performance.now();
    const value = run(op, args);
    const engineMs = performance.now() - t0;
    const transfer: ArrayBuffer[] = [];
    buffers(value, transfer);
    (self as unknown as Worker).postMessage({ id, ok: true, value, engineMs } satisfies Response, transfer);
  } catch (e) {
    const err = e as { message?: string; field?: string };
    const error = { message: err?.message ?? String(e), field: err?.field };
    (self as unknown as Worker).postMessage({ id, ok: false, error } satisfies Response);
  }
};
