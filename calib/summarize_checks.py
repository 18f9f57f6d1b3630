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
Last, the same per run on a log scale: exp(mean of log(simulated /
measured)) - 1, with the interval of that mean carried over. The mean of
relative differences is biased upwards when both sides are noisy: two
independent measurements of the same p99 that come out 1500 and 3000 us
differ by +100% one way and -50% the other, +25% on average. The log ratio
is symmetric (+69% and -69%), so two measurements of the same thing give
0 on average. Markdown on stdout.
"""
import math
import ctypes
import ctypes.util
import json
import statistics as st
import sys

# Student t quantiles from GSL (a dependency already: sim/ci.c uses the same
# gsl_cdf_tdist_Pinv), not a hand-copied table.
_gsl = ctypes.CDLL(ctypes.util.find_library("gsl") or "libgsl.so")
_gsl.gsl_cdf_tdist_Pinv.restype = ctypes.c_double
_gsl.gsl_cdf_tdist_Pinv.argtypes = [ctypes.c_double, ctypes.c_double]

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


def tables(title, header, row):
    """Prints a markdown table per model: `header` (the columns after mix, C
    and op), then row(g) for the runs g of each (model, mix, C, op)."""
    print(title)
    model = None
    for k in keys:
        if k[0] != model:
            model = k[0]
            print()
            print(f"model {model}")
            print()
            print("| mix | C | op | " + " | ".join(header) + " |")
            print("|---" * (3 + len(header)) + "|")
        g = [r for r in rows if (r["model"], r["mix"], r["c"], r["op"]) == k]
        print(f"| {k[1]} | {k[2]} | {k[3]} | " + " | ".join(row(g)) + " |")


def means(g):
    cells = []
    for f, unit in (("p50", " us"), ("p99", " us"), ("x", "")):
        mm, msd, mtxt = ms([r["m_" + f] for r in g], unit)
        sm, _, stxt = ms([r["s_" + f] for r in g], unit)
        cells += [mtxt, stxt, f"{100 * (sm - mm) / mm:+.0f}%"]
        if f != "p99":
            cells.append(f"{100 * msd / mm:.0f}%")
    return cells


def interval(d, pct=lambda v: v):
    """The mean of d and its 95% Student t interval, each through pct (to
    percent), as a table cell; "in" or "out" as the interval lies within or
    wholly outside +-10%."""
    m = st.mean(d)
    if len(d) < 2:
        return f"{pct(m):+.0f}%"
    h = _gsl.gsl_cdf_tdist_Pinv(0.975, len(d) - 1) * st.stdev(d) / len(d) ** 0.5
    lo, hi = pct(m - h), pct(m + h)
    mark = " in" if -10 <= lo and hi <= 10 else (" out" if lo > 10 or hi < -10 else "")
    return f"{pct(m):+.1f}% [{lo:+.1f}, {hi:+.1f}]{mark}"


def paired(g, f):
    return interval([100 * (r["s_" + f] - r["m_" + f]) / r["m_" + f] for r in g])


def geometric(g, f):
    d = [math.log(r["s_" + f] / r["m_" + f]) for r in g if r["s_" + f] > 0 and r["m_" + f] > 0]
    return interval(d, lambda v: 100 * (math.exp(v) - 1)) if d else "-"


tables(f"{len(sys.argv) - 1} runs; mean ± sd over the runs; diff = (simulated - measured) / measured of the means; "
       "cv = sd / mean of the measured values",
       ["measured p50", "simulated p50", "diff", "cv", "measured p99", "simulated p99", "diff",
        "measured ops/s", "simulated ops/s", "diff", "cv"], means)
print()
tables("Paired: mean of the runs' relative differences [95% CI]; in: the whole interval within +-10%, "
       "out: wholly outside", ["p50", "p99", "ops/s"], lambda g: [paired(g, f) for f in ("p50", "p99", "x")])
print()
tables("Paired on a log scale: exp(mean of the runs' log(simulated / measured)) - 1 [95% CI]; in, out: as above",
       ["p50", "p99", "ops/s"], lambda g: [geometric(g, f) for f in ("p50", "p99", "x")])
for key in ("bw", "journal_us", "write_weight", "load"):
    vals = sorted({r.get(key) for r in rows if key in r})
    print()
    print(f"{key}: " + ", ".join(str(v) for v in vals))
