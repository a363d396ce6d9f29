#!/usr/bin/env bash
# Every test, with all set-up it needs: Rust (fmt, clippy for the host and wasm32, rustdoc,
# unit/integration/doc tests, each criterion bench once), a short coverage-guided fuzzing run,
# the wasm package in Node, TypeScript, and end-to-end tests in headless Chromium (Debian's
# package, installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "set-up"
scripts/setup.sh
if [ ! -x /usr/bin/chromium ]; then
  echo "test: installing Debian's chromium for the browser tests"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium
fi

step "cargo fmt --check"
cargo fmt --check
step "clippy (host, all targets) and clippy (wasm32 library: page module, population module)"
cargo clippy --all-targets -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown --features population-module -- -D warnings
step "rustdoc with warnings as errors"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet
step "cargo test (unit, integration, doctests, README; writes the TypeScript types of the boundary)"
cargo test
step "the committed TypeScript types (www/src/engine/gen) are the ones the Rust types generate"
if [ -n "$(git status --porcelain -- www/src/engine/gen)" ]; then
  git status --short -- www/src/engine/gen
  echo "www/src/engine/gen differs from the Rust types: commit what cargo test wrote there" >&2
  exit 1
fi
step "criterion benches, each run once"
cargo bench --bench engine -- --test
step "native CLI (release) for the wasm-vs-native comparisons"
cargo build --release --bin ketasim
step "coverage-guided fuzzing, 60 s per target (cargo-fuzz, libFuzzer, nightly; the long run: scripts/fuzz.sh 3600)"
scripts/fuzz.sh 60

step "wasm build"
scripts/build-wasm.sh
step "TypeScript (strict) and page build"
(cd www && npx tsc --noEmit && npx vite build --logLevel warn)
step "wasm package in Node"
(cd www && node --test tests/wasm.test.mjs)
step "end-to-end in headless Chromium (screenshots in artifacts/)"
(cd www && npm run test:e2e)  # the list of browser test files is package.json's
