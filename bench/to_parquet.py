"""Writes a CSV log as Parquet with DuckDB (timestamps as TIMESTAMP WITH TIME ZONE, DuckDB's
default row groups and Snappy): the Parquet files of the discovery benchmark.

    python to_parquet.py LOG.csv LOG.parquet
"""
import sys

import duckdb

source, target = sys.argv[1], sys.argv[2]
duckdb.sql(f"""
    COPY (SELECT case_id, activity, CAST(timestamp AS TIMESTAMPTZ) AS timestamp, role, resource, facility
          FROM read_csv('{source}'))
    TO '{target}' (FORMAT parquet)
""")
