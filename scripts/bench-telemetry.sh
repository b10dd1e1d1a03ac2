#!/usr/bin/env bash
# Benchmarks task telemetry: imports 5 M synthetic telemetry events (the bench/ crate's generator)
# into a copy of the sample project and computes the metrics with a version comparison. Prints
# wall time and peak memory of each. Files go to $BENCH_DIR (default /tmp/baton-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/baton-target}"
dir="${BENCH_DIR:-/tmp/baton-bench}"
mkdir -p "$dir"
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
cargo build --release --locked -q -p baton -p baton-bench
bin="$CARGO_TARGET_DIR/release"
events="${BENCH_EVENTS:-5000000}"
csv="$dir/telemetry-$events.csv"
[ -s "$csv" ] || "$bin/baton-bench" gen-telemetry --events "$events" -o "$csv"
project="$dir/telemetry.baton"
rm -f "$project"
"$bin/baton" new "$project" --bundle sample-projects/respiratory-network >/dev/null 2>&1
echo "telemetry: $(( $(stat -c %s "$csv") / 1000000 )) MB, $events events"
/usr/bin/time -f "import:  %e s, peak %M KB" "$bin/baton" import telemetry "$project" "$csv" >/dev/null 2>"$dir/import.txt" || { cat "$dir/import.txt"; exit 1; }
tail -1 "$dir/import.txt"
/usr/bin/time -f "metrics: %e s, peak %M KB" "$bin/baton" metrics "$project" --workflow respiratory-assessment \
  --version 2 --compare 1 --json >/dev/null 2>"$dir/metrics.txt" || { cat "$dir/metrics.txt"; exit 1; }
tail -1 "$dir/metrics.txt"
echo "project file: $(( $(stat -c %s "$project") / 1000 )) kB"
