#!/usr/bin/env python3
"""Writes the expected directly-follows graphs of the public reference logs, computed by pm4py.

Run by hand when the reference logs change (pm4py is not needed by the tests or CI):
    python3 -m venv /tmp/pm && /tmp/pm/bin/pip install pm4py
    /tmp/pm/bin/python scripts/expected-dfg.py ../shared/data tests/mining/expected
The tests (tests/mining) compare `baton discover` with these files.
"""
import json
import sys
from pathlib import Path

import pandas as pd
import pm4py


def load(path: Path):
    if path.suffix == ".csv":
        df = pd.read_csv(path)
        df["time:timestamp"] = pd.to_datetime(df["time:timestamp"], utc=True)
        return pm4py.format_dataframe(df, case_id="case:concept:name", activity_key="concept:name",
                                      timestamp_key="time:timestamp")
    return pm4py.read_xes(str(path))


def main(data: Path, out: Path):
    for name in ["running-example.csv", "running-example.xes", "hospital_log_high.xes.gz"]:
        log = load(data / name)
        dfg, start, end = pm4py.discover_dfg(log)
        mean, _, _ = pm4py.discover_performance_dfg(log, perf_aggregation_key="mean")
        median, _, _ = pm4py.discover_performance_dfg(log, perf_aggregation_key="median")
        variants = pm4py.get_variants(log)
        expected = {
            "pm4py": pm4py.__version__,
            "events": int(len(log)),
            "cases": int(log["case:concept:name"].nunique()),
            "start_activities": {k: int(v) for k, v in sorted(start.items())},
            "end_activities": {k: int(v) for k, v in sorted(end.items())},
            "edges": [
                {"from": a, "to": b, "count": int(c), "mean_seconds": float(mean[(a, b)]),
                 "median_seconds": float(median[(a, b)])}
                for (a, b), c in sorted(dfg.items())
            ],
            "variants": sorted(([list(k), int(v if isinstance(v, int) else len(v))] for k, v in variants.items()),
                               key=lambda x: (-x[1], x[0])),
        }
        (out / (name.split(".")[0] + "-" + name.split(".", 1)[1].replace(".", "-") + ".json")).write_text(
            json.dumps(expected, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
