#!/usr/bin/env bash
# Fuzzes every importer and the guard parser with cargo-fuzz (libFuzzer, nightly toolchain) for
# FUZZ_SECONDS each (default 60), seeded with the committed corpora (tests/fuzz-corpus/), the
# sample's inputs and the bad-input corpus.
#   scripts/fuzz.sh                 every target
#   scripts/fuzz.sh guard log_xes   some
#   FUZZ_KEEP=1 scripts/fuzz.sh     then minimise each grown corpus (cargo fuzz cmin) into
#                                   tests/fuzz-corpus/TARGET/, which ./test replays on stable Rust
# A crash leaves its input in fuzz/artifacts/TARGET/; once fixed, copy it into
# tests/fuzz-corpus/TARGET/ (and, for an importer, tests/corpus/ with the error it must give).
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
[ ${#targets[@]} -gt 0 ] || targets=(status_csv status_xlsx status_fhir status_hl7 log_csv log_xes log_parquet log_aggregate telemetry bundle_yaml guard)
inputs="$root/sample-projects/respiratory-network/inputs"
seed() { # target, files…
  local dir="corpus/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/"; done
  return 0
}
for t in "${targets[@]}"; do seed "$t" "$root"/tests/fuzz-corpus/"$t"/*; done
seed status_csv "$inputs/documentation-status.csv" "$root"/tests/corpus/status-*.csv
seed status_xlsx "$inputs/oxygen-order-status.xlsx" "$root"/tests/corpus/*.xlsx
seed status_fhir "$inputs/task-export.ndjson" "$root"/tests/corpus/status-fhir-*
seed status_hl7 "$inputs/orders.hl7" "$root"/tests/corpus/*.hl7
seed log_csv "$inputs/respiratory-log.csv" "$root"/tests/corpus/log-*.csv
seed log_xes "$root"/tests/corpus/*.xes
seed log_parquet "$root"/tests/corpus/*.parquet
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
  if [ "${FUZZ_KEEP:-0}" = 1 ]; then
    kept="$root/tests/fuzz-corpus/$t"
    rm -rf "$kept" && mkdir -p "$kept"
    # Inputs over 16 KiB (mostly the seeded sample files grown) stay out of the repository.
    cargo +nightly fuzz cmin -O "$t" "corpus/$t" >/dev/null 2>&1
    find "corpus/$t" -type f -size -16385c -exec cp {} "$kept/" \;
    echo "fuzz: kept $(ls "$kept" | wc -l) inputs ($(du -sh "$kept" | cut -f1)) in tests/fuzz-corpus/$t"
  fi
done
