#!/usr/bin/env bash
# Fuzzes every importer and the guard parser with cargo-fuzz (libFuzzer, nightly toolchain) for
# FUZZ_SECONDS each (default 60), seeded with the sample's inputs and the bad-input corpus.
#   scripts/fuzz.sh                 every target
#   scripts/fuzz.sh guard log_xes   some
# A crash leaves its input in fuzz/artifacts/TARGET/; add it to tests/corpus with the error it must
# give (scripts/bad-input-corpus.py, tests/corpus/expected.tsv) once fixed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/fuzz"
seconds="${FUZZ_SECONDS:-60}"
tools="$root/.tools"
if [ ! -x "$tools/bin/cargo-fuzz" ]; then
  echo "fuzz: installing cargo-fuzz into .tools/"
  cargo install cargo-fuzz --locked --root "$tools" --quiet
fi
export PATH="$tools/bin:$PATH"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(status_csv status_xlsx status_fhir status_hl7 log_csv log_xes telemetry bundle_yaml guard)
inputs="$root/sample-projects/respiratory-network/inputs"
seed() { # target, files…
  local dir="corpus/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/"; done
}
seed status_csv "$inputs/documentation-status.csv" "$root"/tests/corpus/status-*.csv
seed status_xlsx "$inputs/oxygen-order-status.xlsx" "$root"/tests/corpus/*.xlsx
seed status_fhir "$inputs/task-export.ndjson" "$root"/tests/corpus/status-fhir-*
seed status_hl7 "$inputs/orders.hl7" "$root"/tests/corpus/*.hl7
seed log_csv "$inputs/respiratory-log.csv" "$root"/tests/corpus/log-*.csv
seed log_xes "$root"/tests/corpus/*.xes
seed telemetry "$inputs/task-telemetry.csv" "$root"/tests/corpus/telemetry-*
seed bundle_yaml "$root"/sample-projects/respiratory-network/interviews/*.yaml
mkdir -p corpus/guard
printf 'spo2 < 92' > corpus/guard/lt
printf 'site == "north" && !urgent' > corpus/guard/and
printf '(spo2 >= 88 || urgent) && site != "lakeview"' > corpus/guard/or
for t in "${targets[@]}"; do
  echo "fuzz: $t for ${seconds}s"
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 2>&1 |
    grep -E "^#[0-9]+.*(DONE|pulse)|SUMMARY|ERROR|panicked" | tail -2
done
