#!/usr/bin/python3
"""Regenerates rich_tables.json: tables and lines rendered by python rich (the
library AIPerf prints with), used by table_test.go to check our re-implementation
byte for byte. Run from this directory with python3-rich installed:
    python3 rich_tables.py > rich_tables.json
"""
import importlib.metadata
import io
import json

import rich
from rich.console import Console
from rich.table import Table

labels = ["Time to First Token (ms)", "Time to Second Token (ms)",
          "Time to First Output Token (ms)", "Request Latency (ms)", "Inter Token Latency (ms)",
          "Output Token Throughput Per User\n(tokens/sec/user)", "Output Sequence Length (tokens)",
          "Input Sequence Length (tokens)", "Output Token Throughput (tokens/sec)",
          "Request Throughput (requests/sec)", "Request Count (requests)"]
vals = ["18,476.79", "1.00", "123,456.78", "5.5", "N/A", "20.00", "0.00"]
cases = []
for w in (100, 101, 110, 120, 123, 130, 150, 200, 60):
    rows = [[l] + [vals[(i + k) % len(vals)] for k in range(7)] for i, l in enumerate(labels)]
    cases.append({"width": w, "title": "NVIDIA AIPerf | LLM Metrics",
                  "cols": ["Metric", "avg", "min", "max", "p99", "p90", "p50", "std"],
                  "left": [False] * 8, "rows": rows})
for w in (100, 140):
    cases.append({"width": w, "title": "NVIDIA AIPerf | Error Summary",
                  "cols": ["Code", "Type", "Message", "Count"], "left": [False, False, True, False],
                  "rows": [["500", "Internal Server Error", '{"error": {"message": "The model `Qwen/Qwen2.5-Omni-3B` does not exist or the server failed while decoding the audio payload in the request body", "type": "InternalError"}}', "1,234"],
                           ["N/A", "N/A", "connection refused", "3"],
                           ["499", "RequestCancellationError", "Request was cancelled after 0.500 seconds", "12"],
                           ["400", "Bad Request", "a" + "very" * 33 + "longword and more", "1"]]})
cmd = ("CLI Command: aiperf profile --model 'Qwen/Qwen2.5-Omni-3B' --endpoint-type 'chat' "
       "--audio-length-mean 5.0 --audio-format wav --audio-sample-rates 16 --streaming "
       "--url localhost:8000 --request-count 20 --concurrency 4 --extra-inputs "
       "'{\"a\":\"/very/long/path/" + "a" * 115 + "\"}'")
for w in (100, 130):
    cases.append({"width": w, "line": cmd})

for c in cases:
    buf = io.StringIO()
    con = Console(width=c["width"], file=buf, color_system=None)
    if "line" in c:
        con.print(c["line"], markup=False, highlight=False)
    else:
        t = Table(title=c["title"])
        for h, left in zip(c["cols"], c["left"]):
            t.add_column(h, justify="left" if left else "right")
        for r in c["rows"]:
            t.add_row(*r)
        con.print(t)
    c["want"] = buf.getvalue()
print(json.dumps({"generated_by": "rich " + importlib.metadata.version("rich"), "cases": cases}, indent=1))
