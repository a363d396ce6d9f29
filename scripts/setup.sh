#!/usr/bin/env bash
# Idempotent set-up on a fresh machine: wasm target, the wasm-bindgen CLI that matches
# Cargo.lock, and the npm packages of www/. Each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# the CLI must match the wasm-bindgen crate version pinned in Cargo.lock
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "setup: installing wasm-bindgen-cli $want (about 5 minutes, once)"
  # no --locked: the registry snapshot lacks some of the CLI's locked versions
  cargo install wasm-bindgen-cli --version "$want"
fi

if [ ! -d www/node_modules ] || [ www/package-lock.json -nt www/node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages (www/package-lock.json)"
  (cd www && npm ci --no-audit --no-fund)
fi
