// Module Web Worker that owns the page's wasm engine (single runs, edits and metadata).
import init, * as wasm from '../pkg/ketasim.js';
import wasmUrl from '../pkg/ketasim_bg.wasm?url';
import { serve, type Op } from './protocol';

serve(init({ module_or_path: wasmUrl }), (op: Op, args: unknown[]): unknown => {
  switch (op) {
    case 'simulate':
      return wasm.simulate(args[0]);
    case 'simulateCsv':
      return wasm.simulateCsv(args[0]);
    case 'validate':
      return wasm.validateScenario(args[0]);
    case 'withRoute':
      return wasm.withRoute(args[0], args[1] as string);
    case 'withModel':
      return wasm.withModel(args[0], args[1] as string);
    case 'withStep':
      return wasm.withStep(args[0], args[1] as string);
    case 'withSpan':
      return wasm.withSpan(args[0], args[1] as string);
    case 'cshtCurves':
      return wasm.cshtCurves(args[0]);
    case 'models':
      return wasm.models(args[0] as number);
    case 'presets':
      return wasm.presets();
    case 'pdTables':
      return wasm.pdTables();
    case 'limits':
      return wasm.limits();
    case 'defaults':
      return wasm.defaults();
    case 'csht':
      return wasm.csht(args[0] as string, args[1] as number, new Float64Array(args[2] as number[]));
    case 'version':
      return wasm.version();
    default:
      throw new Error(`operation ${op} is not in the page's module`);
  }
});
