// Both wasm modules loaded in the calling thread, for the benchmark page only (it times the
// engine without a worker round trip). The page itself reaches the engine through client.ts.
import init, * as page from '../pkg/ketasim.js';
import pageUrl from '../pkg/ketasim_bg.wasm?url';
import initPop, * as population from '../pkg-pop/ketasim_pop.js';
import { popModule, type PopBuild } from './popwasm';

/** `popBuild`: the population module's build (default: what the browser runs, as the workers choose). */
export async function loadDirect(popBuild?: PopBuild): Promise<{ page: typeof page; population: typeof population; popBuild: PopBuild }> {
  const pop = await popModule(popBuild);
  await Promise.all([init({ module_or_path: pageUrl }), initPop({ module_or_path: pop.url })]);
  return { page, population, popBuild: pop.build };
}
