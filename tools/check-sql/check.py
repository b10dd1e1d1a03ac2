"""Runs the warehouse queries of `baton sql` in real engines and checks them against Baton.

For a generated clinical log (facilities, roles, transfers between facilities, events of a case
at the same minute, cases interleaved and out of order in the file), as CSV and as Parquet:

1. `baton discover LOG --partial` gives Baton's own aggregate, hashed with a project's salt;
2. the DuckDB query of `baton sql` runs in DuckDB and in DataFusion over the same file, and each
   engine writes its result as CSV with its own writer;
3. the rows must equal Baton's: every count, sum of waits, sketch bucket and example hash;
4. `baton import aggregate` imports each engine's CSV into a copy of the project, and the
   project's log (exported as a bundle) must equal the one imported from Baton's own aggregate;
5. the Spark, T-SQL and Snowflake queries, which cannot run here, must parse with sqlglot in
   their own dialects.

Usage: python check.py BATON_BINARY WORK_DIR
"""

import csv
import json
import random
import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import datafusion
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import sqlglot
from sqlglot.errors import ErrorLevel

BATON = sys.argv[1]
WORK = Path(sys.argv[2])

ACTIVITIES = ["Order placed", "Order verified", "Specimen collected", "Result posted",
              "Result acknowledged", "Order cancelled", "Task reassigned"]
ROLES = ["RN", "MD", "Lab tech", "Unit clerk", ""]
FACILITIES = ["North Campus", "Riverside", "St. Mary"]


def run(*args, **kw):
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, args))}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def make_log(cases, ties, seed):
    """Rows in file order: (seq, case, activity, time text, role, facility)."""
    rnd = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    events = []
    for c in range(cases):
        case = f"ENC{rnd.randrange(10**7):07d}-{c}"
        t = start + timedelta(minutes=rnd.randrange(60 * 24 * 200))
        home = rnd.choice(FACILITIES)
        n = rnd.randrange(1, 9)
        path = [ACTIVITIES[0]] + [rnd.choice(ACTIVITIES[1:]) for _ in range(n - 1)]
        for i, activity in enumerate(path):
            if i:
                step = 0 if ties and rnd.random() < 0.15 else rnd.choice([1, 3, 20, 90, 600, 4000])
                t = t + timedelta(minutes=step, seconds=0 if ties else rnd.randrange(60))
            facility = home
            if i == 0 and rnd.random() < 0.05:
                facility = ""  # the case's facility is the first one named
            elif i > 2 and rnd.random() < 0.05:
                facility = rnd.choice(FACILITIES)  # a transfer
            if rnd.random() < 0.1:
                text = t.astimezone(timezone(timedelta(hours=-5))).isoformat()
            else:
                text = t.strftime("%Y-%m-%dT%H:%M:%S") + (".250000Z" if rnd.random() < 0.1 else "Z")
            events.append([case, activity, text, rnd.choice(ROLES), facility])
    # Cases interleave in the file, and a case's events are not in time order.
    rnd.shuffle(events)
    return [[i + 1] + e for i, e in enumerate(events)]


def write_logs(rows, stem):
    header = ["seq", "case_id", "activity", "event_time", "role", "facility"]
    csv_path = WORK / f"{stem}.csv"
    with open(csv_path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    times = [datetime.fromisoformat(r[3].replace("Z", "+00:00")).astimezone(timezone.utc) for r in rows]
    table = pa.table({
        "seq": pa.array([r[0] for r in rows], pa.int64()),
        "case_id": [r[1] for r in rows],
        "activity": [r[2] for r in rows],
        "event_time": pa.array(times, pa.timestamp("us", tz="UTC")),
        "role": [r[4] or None for r in rows],
        "facility": [r[5] or None for r in rows],
    })
    parquet_path = WORK / f"{stem}.parquet"
    pq.write_table(table, parquet_path, row_group_size=4000)
    return csv_path, parquet_path


def baton_rows(path):
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    assert doc["format"] == "baton-log-aggregate", doc.get("format")
    return sorted((normalize(r) for r in doc["rows"]), key=order)


def csv_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return sorted((normalize({k.lower(): (v if v != "" else None) for k, v in r.items()}) for r in reader),
                      key=order)


def order(row):
    """A sort key for rows whose numbers may be missing."""
    return tuple((v is None, 0 if v is None else v) for v in row)


def normalize(r):
    def num(v):
        return None if v is None else int(float(v)) if isinstance(v, str) and "." in v else (
            None if v is None else int(v))
    example = r.get("example")
    if example is not None:
        example = example.lower()[:16]
    return (r["kind"], r.get("facility") or "", r.get("activity") or "", r.get("next_activity") or "",
            r.get("role") or "", num(r.get("bucket")), num(r.get("count")), num(r.get("total_us")), example)


def first_difference(a, b):
    sa, sb = set(a), set(b)
    only_a = sorted(sa - sb, key=order)[:5]
    only_b = sorted(sb - sa, key=order)[:5]
    return f"only in Baton's: {only_a}\nonly in the engine's: {only_b}"


def in_duckdb(query, log, out):
    con = duckdb.connect()
    source = f"read_parquet('{log}')" if log.suffix == ".parquet" else f"read_csv('{log}')"
    con.sql(f"CREATE VIEW event_log AS SELECT * FROM {source}")
    con.sql(query).write_csv(str(out))


def in_datafusion(query, log, out):
    ctx = datafusion.SessionContext()
    if log.suffix == ".parquet":
        ctx.register_parquet("event_log", str(log))
    else:
        ctx.register_csv("event_log", str(log), schema=pa.schema(
            [("seq", pa.int64())] + [(n, pa.string()) for n in ["case_id", "activity", "event_time", "role",
                                                                  "facility"]]))
    ctx.sql(query).write_csv(str(out), with_header=True)
    if out.is_dir():  # one file per partition
        parts = sorted(out.glob("*.csv"))
        lines = []
        for i, p in enumerate(parts):
            text = p.read_text(encoding="utf-8").splitlines(keepends=True)
            lines.extend(text if i == 0 else text[1:])
        shutil.rmtree(out)
        out.write_text("".join(lines), encoding="utf-8")


def log_in_bundle(project, name):
    """The project's logs as a bundle holds them (`logs/<id>.yaml`), without their ids."""
    out = WORK / f"bundle-{name}"
    shutil.rmtree(out, ignore_errors=True)
    run(BATON, "bundle", "export", project, out)
    # Facilities new to the project get new ids: compare them by name.
    names = dict(re.findall(r"- id: (.+)\n  name: (.+)\n", (out / "facilities.yaml").read_text(encoding="utf-8")))
    logs = []
    for p in (out / "logs").glob("*.yaml"):
        text = "".join(line for line in p.read_text(encoding="utf-8").splitlines(keepends=True)
                       if not line.startswith("id:"))
        text = re.sub(r"facility: (.+)", lambda m: "facility: " + names.get(m.group(1), m.group(1)), text)
        logs.append(items_sorted(text))
    logs.sort()
    assert logs, f"no log in the bundle of {project}"
    return logs


def items_sorted(text):
    """A bundle's YAML list items sorted within each list (lists are sorted by facility id)."""
    out, items = [], []
    for line in text.splitlines(keepends=True):
        if line.startswith("- "):
            items.append(line)
        elif line.startswith(" ") and items:
            items[-1] += line
        else:
            out.extend(sorted(items))
            items = []
            out.append(line)
    out.extend(sorted(items))
    return "".join(out)


def check_scenario(name, rows, order_column):
    csv_log, parquet_log = write_logs(rows, name)
    project = WORK / f"{name}.baton"
    project.unlink(missing_ok=True)
    run(BATON, "new", project)
    flags = ["--case", "case_id", "--activity", "activity", "--timestamp", "event_time",
             "--role", "role", "--facility", "facility"]
    query_file = WORK / f"{name}-duckdb.sql"
    order = ["--order-column", order_column] if order_column else []
    run(BATON, "sql", "--dialect", "duckdb", "--table", "event_log", *flags, *order,
        "--salt-from", project, "-o", query_file)
    query = query_file.read_text(encoding="utf-8")
    reference = None
    for log in [csv_log, parquet_log]:
        partial = WORK / f"{log.name}.partial.json"
        run(BATON, "discover", log, *flags, "--partial", partial, "--salt-from", project)
        expected = baton_rows(partial)
        assert len(expected) > 50, f"{partial}: only {len(expected)} rows"
        for engine, execute in [("duckdb", in_duckdb), ("datafusion", in_datafusion)]:
            out = WORK / f"{log.name}.{engine}.csv"
            execute(query, log, out)
            got = csv_rows(out)
            if got != expected:
                sys.exit(f"{name}, {log.name}, {engine}: the query's aggregate differs from Baton's "
                         f"({len(got)} rows against {len(expected)})\n{first_difference(expected, got)}")
            # The engine's own CSV imports, and the project keeps exactly what Baton's aggregate gives.
            copy = WORK / f"{name}-{log.suffix[1:]}-{engine}.baton"
            shutil.copyfile(project, copy)
            run(BATON, "import", "aggregate", copy, out, "--name", "warehouse log")
            kept = log_in_bundle(copy, f"{name}-{engine}")
            if reference is None:
                ref_project = WORK / f"{name}-reference.baton"
                shutil.copyfile(project, ref_project)
                run(BATON, "import", "aggregate", ref_project, partial, "--name", "warehouse log")
                reference = log_in_bundle(ref_project, f"{name}-reference")
            if kept != reference:
                sys.exit(f"{name}, {log.name}, {engine}: the imported log differs from Baton's own")
            print(f"  {name}: {log.name} in {engine}: {len(got)} rows, equal to Baton's; imported alike")
    for dialect, reader in [("spark", "spark"), ("tsql", "tsql"), ("snowflake", "snowflake"),
                            ("duckdb", "duckdb")]:
        text = run(BATON, "sql", "--dialect", dialect, *flags, *order, "--salt-from", project)
        parsed = sqlglot.parse(text, read=reader, error_level=ErrorLevel.RAISE)
        assert parsed and parsed[0] is not None, f"{dialect}: nothing parsed"
        print(f"  {name}: the {dialect} query parses with sqlglot ({len(text)} characters)")


def main():
    WORK.mkdir(parents=True, exist_ok=True)
    # Events of a case at the same minute: the order column (the file's sequence) orders them as
    # the file does, as Baton does.
    check_scenario("ties", make_log(1500, ties=True, seed=7), "seq")
    # No two events of a case at the same time: no order column is needed.
    check_scenario("distinct", make_log(800, ties=False, seed=11), None)
    print("warehouse queries: equal to Baton's aggregates in DuckDB and DataFusion; other dialects parse")


if __name__ == "__main__":
    main()
