#!/usr/bin/env bash
# Set up (when needed), build the wasm core and the page, and serve it on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-wasm.sh
(cd www && npx vite build)
echo
echo "  Ketamine PK/PD simulator: http://localhost:4173/   (Ctrl+C to stop)"
echo
cd www && exec npx vite preview --host 127.0.0.1 --port 4173 --strictPort
