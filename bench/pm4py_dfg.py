"""The pm4py peer of `baton discover`: read an XES log and discover its directly-follows graph."""
import json
import sys
import time

import pm4py

start = time.perf_counter()
log = pm4py.read_xes(sys.argv[1])
read = time.perf_counter() - start
dfg, starts, ends = pm4py.discover_dfg(log)
print(json.dumps({"events": len(log), "edges": len(dfg), "read_seconds": round(read, 3),
                  "total_seconds": round(time.perf_counter() - start, 3)}))
