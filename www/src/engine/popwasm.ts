// Which build of the population module to load. scripts/build-wasm.sh builds it twice from the
// same source: with WebAssembly SIMD (simd128; every current browser, Safari since iOS 16.4),
// about 5 % faster per subject (docs/benchmarks.md), and without it for older browsers. Both
// share one wasm-bindgen glue (the build checks that) and give bit-identical results
// (tests/wasm.test.mjs), so only the binary differs.
import { simd } from 'wasm-feature-detect';
import plainUrl from '../pkg-pop/ketasim_pop_bg.wasm?url';
import simdUrl from '../pkg-pop/ketasim_pop_simd_bg.wasm?url';

export type PopBuild = 'simd' | 'plain';

/** The population module's URL: the SIMD build when this browser runs WebAssembly SIMD (or as `force`d). */
export async function popModule(force?: PopBuild): Promise<{ url: string; build: PopBuild }> {
  const build: PopBuild = force ?? ((await simd()) ? 'simd' : 'plain');
  return { url: build === 'simd' ? simdUrl : plainUrl, build };
}
