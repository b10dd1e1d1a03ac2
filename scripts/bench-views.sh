#!/usr/bin/env bash
# Times the home screen's view (baton::views::project::project, asked for after every edit),
# the finding counts it asks for apart and the process map of the largest log, on the sample
# project and on the sample with a synthetic
# 1 M-event clinical log imported. Files go to $BENCH_DIR (default /tmp/baton-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/baton-target}"
dir="${BENCH_DIR:-/tmp/baton-bench}"
mkdir -p "$dir"
cargo build --release --locked -q -p baton -p baton-bench
bin="$CARGO_TARGET_DIR/release"
log="$dir/clinical-1000000.csv"
[ -s "$log" ] || "$bin/baton-bench" gen --events 1000000 --format csv -o "$log"
sample="$dir/views-sample.baton"
large="$dir/views-1m.baton"
rm -f "$sample" "$large"
"$bin/baton" new "$sample" --bundle sample-projects/respiratory-network 2>/dev/null
"$bin/baton" new "$large" --bundle sample-projects/respiratory-network 2>/dev/null
"$bin/baton" import log "$large" "$log" >/dev/null
BATON_VIEWS_PROJECTS="$sample:$large" cargo bench --locked -q --bench views
