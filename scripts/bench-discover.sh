#!/usr/bin/env bash
# Benchmarks `baton discover` on synthetic clinical logs of 1 M and 10 M events (CSV and XES),
# on 1 thread, 2 and every core, side by side with its peers in the same run: DuckDB (SQL with
# LEAD() OVER (PARTITION BY case)) and Polars on the CSV files (they cannot read XES), the
# `process_mining` crate and pm4py on the 1 M-event XES file, and a single-thread quick-xml
# tokenize pass of each XES file (the floor for reading it); the CSV files are also written as
# Parquet by DuckDB, and baton, DuckDB and Polars timed on those.
# Prints a Markdown table (wall seconds, peak memory) and the size a 10 M-event log adds to a
# project. Files go to $BENCH_DIR (default /tmp/baton-bench); generated once, then reused.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/baton-target}"
dir="${BENCH_DIR:-/tmp/baton-bench}"
runs="${BENCH_RUNS:-3}"
mkdir -p "$dir"

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (for peak memory)" >&2
  apt-get install -y -qq time >/dev/null
fi
cargo build --release --locked -q -p baton -p baton-bench
bin="$CARGO_TARGET_DIR/release"

venv="$dir/pm4py-venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import pm4py' 2>/dev/null; then
  echo "installing pm4py from PyPI into $venv" >&2
  python3 -m venv "$venv" && "$venv/bin/pip" install -q 'pm4py==2.7.23.11' >&2 \
    || echo "pm4py could not be installed; its row is left out" >&2
fi

peers="$dir/peers-venv"
if [ ! -x "$peers/bin/python" ] || ! "$peers/bin/python" -c 'import duckdb, polars' 2>/dev/null; then
  echo "installing DuckDB and Polars from PyPI into $peers" >&2
  python3 -m venv "$peers" && "$peers/bin/pip" install -q 'duckdb==2.0.0' 'polars==2.1.0' >&2 \
    || echo "DuckDB or Polars could not be installed; their rows are left out" >&2
fi

for n in 1000000 10000000; do
  for format in csv xes; do
    file="$dir/clinical-$n.$format"
    [ -s "$file" ] || "$bin/baton-bench" gen --events "$n" --format "$format" -o "$file"
  done
done

# measure LABEL FILE COMMAND...: the median wall time of $runs runs and the largest peak memory.
measure() {
  local label="$1" file="$2"; shift 2
  local times=() peak=0 out="$dir/time.txt"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null 2>"$dir/stderr.txt" \
      || { echo "| $label | failed: $(tail -1 "$dir/stderr.txt") |"; return; }
    read -r seconds kb <"$out"
    times+=("$seconds")
    [ "$kb" -gt "$peak" ] && peak="$kb"
  done
  local median
  median="$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")"
  printf '| %s | %s | %s MB | %s s | %s MB |\n' "$label" "$(basename "$file")" \
    "$(( $(stat -c %s "$file") / 1000000 ))" "$median" "$(( peak / 1024 ))"
}

cores="$(nproc)"
echo "| tool | log | size | wall time (median of $runs) | peak memory |"
echo "|---|---|---|---|---|"
for n in 1000000 10000000; do
  file="$dir/clinical-$n.csv"
  measure "baton discover, 1 thread" "$file" "$bin/baton" discover "$file" --json --threads 1
  measure "baton discover, 2 threads" "$file" "$bin/baton" discover "$file" --json --threads 2
  [ "$cores" -gt 2 ] && measure "baton discover, $cores threads" "$file" "$bin/baton" discover "$file" --json
  if [ -x "$peers/bin/python" ] && "$peers/bin/python" -c 'import duckdb, polars' 2>/dev/null; then
    measure "DuckDB $("$peers/bin/python" -c 'import duckdb; print(duckdb.__version__)') (SQL DFG)" \
      "$file" "$peers/bin/python" bench/peers_dfg.py duckdb "$file"
    measure "Polars $("$peers/bin/python" -c 'import polars; print(polars.__version__)') (lazy DFG)" \
      "$file" "$peers/bin/python" bench/peers_dfg.py polars "$file"
  fi
  # The same events as Parquet, written by DuckDB (Snappy, its default row groups).
  if [ -x "$peers/bin/python" ] && "$peers/bin/python" -c 'import duckdb, polars' 2>/dev/null; then
    pq="$dir/clinical-$n.parquet"
    [ -s "$pq" ] || "$peers/bin/python" bench/to_parquet.py "$dir/clinical-$n.csv" "$pq"
    measure "baton discover, 1 thread" "$pq" "$bin/baton" discover "$pq" --json --threads 1
    measure "baton discover, 2 threads" "$pq" "$bin/baton" discover "$pq" --json --threads 2
    [ "$cores" -gt 2 ] && measure "baton discover, $cores threads" "$pq" "$bin/baton" discover "$pq" --json
    measure "DuckDB (SQL DFG)" "$pq" "$peers/bin/python" bench/peers_dfg.py duckdb "$pq"
    measure "Polars (lazy DFG)" "$pq" "$peers/bin/python" bench/peers_dfg.py polars "$pq"
  fi
  file="$dir/clinical-$n.xes"
  measure "baton discover, 1 thread" "$file" "$bin/baton" discover "$file" --json --threads 1
  measure "baton discover, 2 threads" "$file" "$bin/baton" discover "$file" --json --threads 2
  [ "$cores" -gt 2 ] && measure "baton discover, $cores threads" "$file" "$bin/baton" discover "$file" --json
  measure "quick-xml tokenize pass, 1 thread (the floor)" "$file" "$bin/baton-bench" tokenize "$file"
done
xes="$dir/clinical-1000000.xes"
runs=1
measure "process_mining 0.6 (import + DFG)" "$xes" "$bin/baton-bench" process-mining "$xes"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import pm4py' 2>/dev/null; then
  measure "pm4py $("$venv/bin/python" -c 'import pm4py; print(pm4py.__version__)' 2>/dev/null) (read_xes + discover_dfg)" \
    "$xes" "$venv/bin/python" bench/pm4py_dfg.py "$xes"
fi

# What a 10 M-event log adds to a project.
log="$dir/clinical-10000000.csv"
project="$dir/size.baton"
rm -f "$project"
"$bin/baton" new "$project" --name "Size check" >/dev/null 2>&1
before="$(stat -c %s "$project")"
"$bin/baton" import log "$project" "$log" >/dev/null 2>&1
after="$(stat -c %s "$project")"
echo
echo "A 10 M-event log of $(( $(stat -c %s "$log") / 1000000 )) MB adds $(( (after - before) / 1000 )) kB to the project" \
  "($(awk -v a="$((after - before))" -v l="$(stat -c %s "$log")" 'BEGIN { printf "%.4f", 100 * a / l }')% of the log)."
