#!/usr/bin/env bash
# Builds the Rust core for the browser, twice: the page's main module (www/src/pkg) and the
# population workers' module (www/src/pkg-pop, feature `population-module`, loaded only when
# the population is switched on). Each: cargo (profile `wasm`, size-optimised, for the page;
# `wasm-fast`, opt-level 3, for the population) →
# wasm-bindgen --target web → wasm-opt from the npm package binaryen@132 when installed.
set -euo pipefail
cd "$(dirname "$0")/.."
opt=www/node_modules/.bin/wasm-opt
build() { # profile features out-dir out-name
  cargo build --lib --profile "$1" --target wasm32-unknown-unknown $2
  wasm-bindgen --target web --out-dir "$3" --out-name "$4" "target/wasm32-unknown-unknown/$1/ketasim.wasm"
  local wasm="$3/$4_bg.wasm"
  if [ -x "$opt" ]; then
    "$opt" -O3 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals "$wasm" -o "$wasm"
  else
    echo "build-wasm: wasm-opt not installed (npm package binaryen); module left unoptimised"
  fi
  echo "build-wasm: $wasm $(wc -c < "$wasm") bytes, $(gzip -9 -c "$wasm" | wc -c) gzipped"
}
build wasm "" www/src/pkg ketasim
build wasm-fast "--features population-module" www/src/pkg-pop ketasim_pop
