// Module Web Worker of the population pool: owns the population wasm module (built with the
// `population-module` feature; its SIMD build where the browser has WebAssembly SIMD, see
// popwasm.ts), loaded only when the page first shows a population. Scenarios cross the wasm
// boundary as JSON text.
import init, * as wasm from '../pkg-pop/ketasim_pop.js';
import { popModule } from './popwasm';
import { serve, type Op } from './protocol';

serve(popModule().then(({ url }) => init({ module_or_path: url })), (op: Op, args: unknown[]): unknown => {
  switch (op) {
    case 'populationLayout':
      return wasm.populationLayout(JSON.stringify(args[0]));
    case 'populationSimulate':
      return wasm.populationSimulate(JSON.stringify(args[0]), args[1] as number, args[2] as number, args[3] as Uint32Array);
    case 'populationBlockStats':
      return wasm.populationBlockStats(args[0] as Float32Array[], args[1] as number, args[2] as number, args[3] as number, args[4] as number);
    case 'populationDistribution':
      return wasm.populationDistribution(args[0] as Float64Array, args[1] as number);
    case 'simulatePopulation':
      return wasm.simulatePopulation(JSON.stringify(args[0]));
    case 'version':
      return wasm.version();
    case 'trapForTests':
      return wasm.trapForTests();
    default:
      throw new Error(`operation ${op} is not in the population module`);
  }
});
