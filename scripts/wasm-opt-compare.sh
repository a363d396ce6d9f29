#!/usr/bin/env bash
# Measures each wasm-opt level (none, -O2, -O3, -Oz) of both wasm modules in Chromium: for each
# level, rebuilds the modules with it (cargo's output is reused; only wasm-bindgen and wasm-opt
# run again), builds the page and runs the benchmark page's one-patient tables
# (www/tests/bench-run.mjs --quick). Writes artifacts/wasm-opt-<level>.json and prints a table of
# µs per run and module sizes. Rebuilds the default modules at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p artifacts
for level in none -O2 -O3 -Oz; do
  WASM_OPT_PAGE=$level WASM_OPT_POP=$level scripts/build-wasm.sh > /dev/null
  (cd www && npx vite build > /dev/null)
  name=${level#-}
  (cd www && node tests/bench-run.mjs --quick --out "../artifacts/wasm-opt-$name.json" > /dev/null)
  page=$(gzip -9 -c www/src/pkg/ketasim_bg.wasm | wc -c)
  pop=$(gzip -9 -c www/src/pkg-pop/ketasim_pop_bg.wasm | wc -c)
  node -e '
    const b = require(process.argv[1]);
    const row = (rows, k, s) => (rows.find((r) => r.engine.startsWith(s)) ?? {})[k]?.toFixed(1);
    console.log([process.argv[2],
      "pop exact " + row(b.single, "usPerRun", "wasm, population path, exact"),
      "pop dopri5 " + row(b.single, "usPerRun", "wasm, population path, Dopri5"),
      "pop kinetic " + row(b.kinetic, "usPerSubject", "wasm, population path, exact propagator"),
      "pop kinetic dopri5 " + row(b.kinetic, "usPerSubject", "wasm, population path, Dopri5"),
      "simulate exact " + row(b.single, "usPerRun", "wasm simulate(), exact"),
      "simulate dopri5 " + row(b.single, "usPerRun", "wasm simulate(), Dopri5"),
      "ode45 " + row(b.kinetic, "usPerSubject", "JavaScript, ode45"),
      "page gz " + process.argv[3], "pop gz " + process.argv[4]].join(" | "));
  ' "$PWD/artifacts/wasm-opt-$name.json" "$level" "$page" "$pop"
done
scripts/build-wasm.sh > /dev/null
(cd www && npx vite build > /dev/null)
