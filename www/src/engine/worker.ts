// Module Web Worker that owns the page's wasm engine (single runs, edits and metadata).
// Scenarios cross the wasm boundary as JSON text: the engine reads them with the CLI's reader.
import init, * as wasm from '../pkg/ketasim.js';
import wasmUrl from '../pkg/ketasim_bg.wasm?url';
import { serve, type Op } from './protocol';

serve(init({ module_or_path: wasmUrl }), (op: Op, args: unknown[]): unknown => {
  switch (op) {
    case 'simulate':
      return wasm.simulate(JSON.stringify(args[0]));
    case 'simulateCsv':
      return wasm.simulateCsv(JSON.stringify(args[0]));
    case 'validate':
      return wasm.validateScenario(JSON.stringify(args[0]));
    case 'withRoute':
      return wasm.withRoute(JSON.stringify(args[0]), args[1] as string);
    case 'withModel':
      return wasm.withModel(JSON.stringify(args[0]), args[1] as string);
    case 'withStep':
      return wasm.withStep(JSON.stringify(args[0]), args[1] as string);
    case 'withSpan':
      return wasm.withSpan(JSON.stringify(args[0]), args[1] as string);
    case 'cshtCurves':
      return wasm.cshtCurves(JSON.stringify(args[0]));
    case 'linkFallback':
      return wasm.linkFallback(JSON.stringify(args[0]));
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
      return wasm.csht(args[0] as string, args[1] as number, args[2] as number[]);
    case 'version':
      return wasm.version();
    // issue 12: lectures and the animated compartment diagram
    case 'lecture':
      return wasm.lecture();
    case 'readLecture':
      return wasm.readLecture(args[0] as string);
    case 'diagram':
      return wasm.diagram(JSON.stringify(args[0]), args[1] as number);
    case 'trapForTests':
      return wasm.trapForTests();
    case 'modelInfo':
      return wasm.modelInfo(JSON.stringify(args[0]));
    default:
      throw new Error(`operation ${op} is not in the page's module`);
  }
});
