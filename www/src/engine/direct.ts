// Both wasm modules loaded in the calling thread, for the benchmark page only (it times the
// engine without a worker round trip). The page itself reaches the engine through client.ts.
import init, * as page from '../pkg/ketasim.js';
import pageUrl from '../pkg/ketasim_bg.wasm?url';
import initPop, * as population from '../pkg-pop/ketasim_pop.js';
import popUrl from '../pkg-pop/ketasim_pop_bg.wasm?url';

export async function loadDirect(): Promise<{ page: typeof page; population: typeof population }> {
  await Promise.all([init({ module_or_path: pageUrl }), initPop({ module_or_path: popUrl })]);
  return { page, population };
}
