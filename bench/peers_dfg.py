"""The DuckDB and Polars peers of `baton discover` on a CSV or Parquet log (they cannot read XES):
directly-follows counts and mean waits per facility, the same aggregate Baton computes.

    python peers_dfg.py duckdb|polars LOG.csv|LOG.parquet
"""
import json
import sys
import time

engine, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if engine == "duckdb":
    import duckdb

    source = f"read_parquet('{path}')" if path.endswith(".parquet") else f"read_csv('{path}')"
    rows = duckdb.sql(f"""
        WITH e AS (
          SELECT case_id, activity, facility, CAST(timestamp AS TIMESTAMPTZ) AS ts FROM {source}
        ), n AS (
          SELECT facility, activity,
                 LEAD(activity) OVER w AS next,
                 epoch(LEAD(ts) OVER w) - epoch(ts) AS wait
          FROM e WINDOW w AS (PARTITION BY case_id ORDER BY ts)
        )
        SELECT facility, activity, next, count(*) AS n, avg(wait) AS mean_wait
        FROM n WHERE next IS NOT NULL GROUP BY ALL
    """).fetchall()
elif engine == "polars":
    import polars as pl

    frame = pl.scan_parquet(path) if path.endswith(".parquet") else pl.scan_csv(path)
    rows = (
        frame.select("case_id", "activity", "facility", pl.col("timestamp").str.to_datetime(time_zone="UTC")
                     if not path.endswith(".parquet") else pl.col("timestamp"))
        .sort(["case_id", "timestamp"], maintain_order=True)
        .with_columns(
            pl.col("activity").shift(-1).over("case_id").alias("next"),
            (pl.col("timestamp").shift(-1).over("case_id") - pl.col("timestamp")).dt.total_seconds().alias("wait"),
        )
        .filter(pl.col("next").is_not_null())
        .group_by(["facility", "activity", "next"])
        .agg(pl.len().alias("n"), pl.col("wait").mean().alias("mean_wait"))
        .collect()
        .rows()
    )
else:
    sys.exit(f"unknown engine {engine}")
print(json.dumps({"edges": len(rows), "events_in_edges": int(sum(r[3] for r in rows)),
                  "seconds": round(time.perf_counter() - start, 3)}))
