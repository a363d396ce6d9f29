#!/usr/bin/env bash
# Every kinetic-binding case against Dopri5 at rtol 1e-11 in an optimized build: each preset ×
# binding half-times {0.1, 0.5, 2, 10, 10 000} min × horizons {the preset's, 30 days,
# 180 days}, and all subjects of the 1 000-subject simons2022 population (the ignored test
# `every_case_against_dopri5_release_only` in tests/suite/kinetic.rs; the debug suite that
# `cargo test` runs compares the costliest of these against exact_kinetic at rtol 1e-12
# instead). Prints one line per case and the maxima; fails if any error exceeds 1e-6.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --test lib -- --ignored --nocapture every_case_against_dopri5_release_only
