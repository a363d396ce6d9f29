#!/usr/bin/env bash
# Builds the Rust core for the browser: cargo (profile `wasm`, size-optimised) →
# wasm-bindgen --target web → wasm-opt from the npm package binaryen@132 when installed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=www/src/pkg
cargo build --lib --profile wasm --target wasm32-unknown-unknown
wasm-bindgen --target web --out-dir "$out" target/wasm32-unknown-unknown/wasm/ketasim.wasm
opt=www/node_modules/.bin/wasm-opt
if [ -x "$opt" ]; then
  "$opt" -O3 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals "$out/ketasim_bg.wasm" -o "$out/ketasim_bg.wasm"
else
  echo "build-wasm: wasm-opt not installed (npm package binaryen); module left unoptimised"
fi
echo "build-wasm: $(wc -c < "$out/ketasim_bg.wasm") bytes, $(gzip -9 -c "$out/ketasim_bg.wasm" | wc -c) gzipped"
