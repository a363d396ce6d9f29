#!/usr/bin/env bash
# Builds the Rust core for the browser, twice: the page's main module (www/src/pkg) and the
# population workers' module (www/src/pkg-pop, feature `population-module`, loaded only when
# the population is switched on). Each: cargo (profile `wasm`, size-optimised, for the page;
# `wasm-fast`, opt-level 3, for the population) →
# wasm-bindgen --target web → wasm-opt from the npm package binaryen@132 when installed.
#
# WASM_OPT_PAGE / WASM_OPT_POP set each module's wasm-opt level (-O2, -O3, -Oz, … or `none`).
# The defaults are what scripts/wasm-opt-compare.sh measured best in Chromium (docs/benchmarks.md,
# 2026-12-03): -Oz for the page's module (smallest, and its simulate() no slower), none for the
# population module (every wasm-opt level made its per-subject paths slower).
#
# The population module is built a second time with WebAssembly SIMD (`+simd128`), in its own
# target dir so the two builds do not rebuild each other, as pkg-pop/ketasim_pop_simd_bg.wasm:
# the page loads it where the browser has SIMD (www/src/engine/popwasm.ts). wasm-bindgen's glue
# must be the same for both; the script stops if it is not.
set -euo pipefail
cd "$(dirname "$0")/.."
opt=www/node_modules/.bin/wasm-opt
build() { # profile features out-dir out-name wasm-opt-level
  cargo build --lib --profile "$1" --target wasm32-unknown-unknown $2
  wasm-bindgen --target web --out-dir "$3" --out-name "$4" "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$1/ketasim.wasm"
  local wasm="$3/$4_bg.wasm"
  if [ "$5" = none ]; then
    echo "build-wasm: $wasm without wasm-opt (level none)"
  elif [ -x "$opt" ]; then
    "$opt" "$5" --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-simd "$wasm" -o "$wasm"
  else
    echo "build-wasm: wasm-opt not installed (npm package binaryen); module left unoptimised"
  fi
  echo "build-wasm: $wasm $(wc -c < "$wasm") bytes, $(gzip -9 -c "$wasm" | wc -c) gzipped"
}
build wasm "" www/src/pkg ketasim "${WASM_OPT_PAGE:--Oz}"
build wasm-fast "--features population-module" www/src/pkg-pop ketasim_pop "${WASM_OPT_POP:-none}"
simd=$(mktemp -d)
trap 'rm -rf "$simd"' EXIT
CARGO_TARGET_DIR=target/wasm-simd CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128" \
  build wasm-fast "--features population-module" "$simd" ketasim_pop "${WASM_OPT_POP:-none}"
if ! cmp -s "$simd/ketasim_pop.js" www/src/pkg-pop/ketasim_pop.js; then
  echo "build-wasm: the SIMD population module's glue differs from the plain one's" >&2
  exit 1
fi
cp "$simd/ketasim_pop_bg.wasm" www/src/pkg-pop/ketasim_pop_simd_bg.wasm
