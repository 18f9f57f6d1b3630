#!/usr/bin/env python3
"""calib/summarize_checks.py WORKDIR... - averages calib/model_check.sh and
calib/model_check_writes.sh runs.

Reads WORKDIR/rows.jsonl of each run and prints, per model, mix, concurrency
and operation, the mean +- standard deviation over the runs of the measured
and simulated p50, p99 and throughput, the difference of the means, and the
spread of the measurement itself (coefficient of variation = sd / mean over
the runs: how much identical measurements disagreed). Then, per model, the
paired view: each run's relative difference (simulated - measured) /
measured, their mean and its 95% confidence interval (Student t with n - 1
degrees of freedom), and whether the whole interval lies within +-10%.
Markdown on stdout.
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
# Student t 0.975 quantiles for 1..30 degrees of freedom (beyond: 30's)
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
        2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
        2.045, 2.042]


def paired(g, f):
    d = [100 * (r["s_" + f] - r["m_" + f]) / r["m_" + f] for r in g]
    m = st.mean(d)
    if len(d) < 2:
        return f"{m:+.0f}%"
    h = T975[min(len(d), 31) - 2] * st.stdev(d) / len(d) ** 0.5
    mark = " in" if -10 <= m - h and m + h <= 10 else (" out" if m - h > 10 or m + h < -10 else "")
    return f"{m:+.1f}% [{m - h:+.1f}, {m + h:+.1f}]{mark}"


print()
print("Paired: mean of the runs' relative differences [95% CI]; in: the whole interval within +-10%, "
      "out: wholly outside")
model = None
for k in keys:
    if k[0] != model:
        model = k[0]
        print()
        print(f"model {model}")
        print()
        print("| mix | C | op | p50 | p99 | ops/s |")
        print("|---|---|---|---|---|---|")
    g = [r for r in rows if (r["model"], r["mix"], r["c"], r["op"]) == k]
    print(f"| {k[1]} | {k[2]} | {k[3]} | " + " | ".join(paired(g, f) for f in ("p50", "p99", "x")) + " |")
for key in ("bw", "journal_us", "write_weight", "load"):
    vals = sorted({r.get(key) for r in rows if key in r})
    print()
    print(f"{key}: " + ", ".join(str(v) for v in vals))
