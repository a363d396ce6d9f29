#!/usr/bin/env bash
# Coverage-guided fuzzing of the engine: cargo-fuzz 0.13.2 (libFuzzer) on the nightly toolchain,
# three targets (fuzz/fuzz_targets): `scenario` (JSON → link fallback → read → validate →
# simulate), `population` (small populations: isolation, splits, ordered bands) and `export`
# (CSV and JSON of any result). Each starts from a seed corpus written here from the presets,
# the test fixtures and the error cases of the tests, plus what earlier runs found
# (fuzz/corpus/<target>, not committed), and uses the scenario language as a dictionary.
#
#   scripts/fuzz.sh                  # 60 s per target (what scripts/test.sh runs)
#   scripts/fuzz.sh 3600             # the long run: an hour per target
#   scripts/fuzz.sh 600 population   # one target
#
# A crash stops the run with libFuzzer's report; the input is kept in fuzz/artifacts/<target>/
# (replay: cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>). Every run ends
# with libFuzzer's final statistics (executions, coverage) in fuzz/logs/<target>-<secs>s.log.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario population export)

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz: installing the nightly toolchain (cargo-fuzz needs it for libFuzzer's instrumentation)"
  rustup toolchain install nightly --profile minimal
fi
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "0.13.2" ]; then
  echo "fuzz: installing cargo-fuzz 0.13.2 (a few minutes, once)"
  cargo install cargo-fuzz --version 0.13.2
fi

# the seed corpus: every preset (alone, and with a small population), the fixtures, and
# inputs that reach each error path
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
mkdir -p "$seeds"/{scenario,population,export} fuzz/logs
cargo build --quiet --release --bin ketasim
target/release/ketasim presets > "$seeds/presets.json"
node - "$seeds" <<'JS'
const fs = require('fs');
const dir = process.argv[2];
const presets = JSON.parse(fs.readFileSync(`${dir}/presets.json`, 'utf8'));
const put = (target, name, value) =>
  fs.writeFileSync(`${dir}/${target}/${name}.json`, typeof value === 'string' ? value : JSON.stringify(value));
const fixtures = fs.readdirSync('tests/fixtures').filter((f) => f.endsWith('.json'));
const scenarios = presets.map((p) => [p.id, p.scenario]);
for (const f of fixtures) scenarios.push([f.replace(/\.json$/, ''), JSON.parse(fs.readFileSync(`tests/fixtures/${f}`, 'utf8'))]);
const small = (s) => ({ ...s, horizon_min: Math.min(s.horizon_min, 720), output_step_min: Math.max(s.output_step_min ?? 1, 5) });
for (const [id, s] of scenarios) {
  put('scenario', id, s);
  put('export', id, small(s));
  put('population', id, { ...small(s), population: { size: 4, seed: 1 } });
  put('population', `${id}-covariates`, {
    ...small(s),
    population: { size: 5, seed: 2, female_percent: 50, weight_kg: { log_normal: { median: 70, cv_percent: 30, min: 40, max: 120 } }, age_years: { uniform: { min: 20, max: 60 } } },
  });
}
const base = scenarios[0][1];
const edge = {
  kinetic: { ...small(base), pd: { binding: { kind: 'kinetic', half_time_min: 5 } } },
  stiff: { ...small(base), regimen: [{ dose_mg: 400 }], horizon_min: 240, output_step_min: 60, pd: { binding: { kind: 'kinetic', half_time_min: 0.5 } } },
  custom_ke0: { ...small(base), pd: { ke0_endpoint: 'custom', ke0_per_min: 0.3, thresholds_ng_per_ml: [50, 150] } },
  every: { ...small(base), regimen: [{ dose_mg: 10, schedule: { every: { start_min: 5, interval_h: 1, count: 4 } } }] },
  at_days: { ...small(base), regimen: [{ dose_mg: 10, schedule: { at_days: { days: [0, 0.2], offset_min: 10 } } }] },
  at_h: { ...small(base), regimen: [{ kind: 'infusion', rate_mg_per_kg_per_h: 1, duration_min: 20, salt: 'hcl', schedule: { at_h: [0, 2] } }] },
  dopri5: { ...small(base), solver: { method: 'dopri5', rtol: 1e-8, atol: 1e-10 } },
};
for (const [k, v] of Object.entries(edge)) for (const t of ['scenario', 'export', 'population']) put(t, `edge-${k}`, v);
const text = {
  'two-schedules': '{"patient":{"weight_kg":70},"regimen":[{"dose_mg":1,"schedule":{"at_min":[0],"every":{"interval_h":1,"count":2}}}],"horizon_min":60}',
  'unknown-key': '{"patient":{"weight_kg":70},"regimen":[{"dose_mg":1,"schedule":{"every":{"interval_h":1,"count":2,"start":6}}}],"horizon_min":60}',
  'bom': '\ufeff{"patient":{"weight_kg":70},"regimen":[{"dose_mg":1}],"horizon_min":60}',
  'array': '[{"weight_kg":70},"kamp2020",[],60]',
  'huge-number': '{"patient":{"weight_kg":1e308},"regimen":[{"dose_mg":1}],"horizon_min":60,"population":{"size":3,"seed":1e308}}',
  'link': '{"patient":{"weight_kg":70,"sex":"x"},"model":"kamp2099","regimen":[{"dose_mg":1,"route":"rectal"}],"horizon_min":60,"pd":{"ke0_endpoint":"telepathy","binding":{"kind":"slow"}}}',
  'truncated': '{"patient":{"weight_kg":70},"regimen":[{"dose_mg":1}],"hor',
};
for (const [k, v] of Object.entries(text)) put('scenario', `text-${k}`, v);
JS
rm "$seeds/presets.json"

for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  log="fuzz/logs/$t-${secs}s.log"
  echo "fuzz: $t for ${secs} s"
  # -s none: the engine is safe Rust, where AddressSanitizer finds nothing the panics and
  # overflow checks (-a) do not, at half the speed
  nice -n 10 cargo +nightly fuzz run -s none -a "$t" "fuzz/corpus/$t" "$seeds/$t" -- \
    -dict=fuzz/scenario.dict -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
    -max_len=16384 -print_final_stats=1 > "$log" 2>&1 || {
    tail -n 60 "$log"
    echo "fuzz: target $t failed; the input is in fuzz/artifacts/$t/" >&2
    exit 1
  }
  # executions and speed from the final statistics; coverage (edges, features) and corpus from
  # libFuzzer's last status line
  execs=$(awk '/^stat::number_of_executed_units/ {print $2}' "$log")
  rate=$(awk '/^stat::average_exec_per_sec/ {print $2}' "$log")
  cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9A-Za-z]+')
  echo "fuzz: $t: $execs executions in $secs s ($rate/s), $cov, 0 crashes"
done
