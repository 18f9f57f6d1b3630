#!/usr/bin/env python3
"""calib/summarize_checks.py WORKDIR... - averages calib/model_check_writes.sh runs.

Reads WORKDIR/rows.jsonl of each run and prints, per model, mix, concurrency
and operation, the mean +- standard deviation over the runs of the measured
and simulated p50, p99 and throughput, the difference of the means, and the
spread of the measurement itself (coefficient of variation = sd / mean over
the runs: how much identical measurements disagreed). Markdown on stdout.
"""
import json
import statistics as st
import sys

rows = []
for d in sys.argv[1:]:
    rows += [json.loads(l) for l in open(d + "/rows.jsonl")]
keys = []
for r in rows:
    k = (r["model"], r["mix"], r["c"], r["op"])
    if k not in keys:
        keys.append(k)


def ms(v, unit=""):
    m = st.mean(v)
    s = st.stdev(v) if len(v) > 1 else 0.0
    return m, s, f"{m:.0f} ± {s:.0f}{unit}"


n = len(sys.argv) - 1
print(f"{n} runs; mean ± sd over the runs; diff = (simulated - measured) / measured of the means; "
      "cv = sd / mean of the measured values")
model = None
for k in keys:
    if k[0] != model:
        model = k[0]
        print()
        print(f"model {model}")
        print()
        print("| mix | C | op | measured p50 | simulated p50 | diff | cv | measured p99 | simulated p99 | diff "
              "| measured ops/s | simulated ops/s | diff | cv |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    g = [r for r in rows if (r["model"], r["mix"], r["c"], r["op"]) == k]
    cells = []
    for f, unit in (("p50", " us"), ("p99", " us"), ("x", "")):
        mm, msd, mtxt = ms([r["m_" + f] for r in g], unit)
        sm, _, stxt = ms([r["s_" + f] for r in g], unit)
        cells += [mtxt, stxt, f"{100 * (sm - mm) / mm:+.0f}%"]
        if f != "p99":
            cells.append(f"{100 * msd / mm:.0f}%")
    print(f"| {k[1]} | {k[2]} | {k[3]} | " + " | ".join(cells) + " |")
for key in ("bw", "journal_us", "write_weight", "load"):
    vals = sorted({r.get(key) for r in rows if key in r})
    print()
    print(f"{key}: " + ", ".join(str(v) for v in vals))
