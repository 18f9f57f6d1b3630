#!/usr/bin/env python3
"""calib/pooled_share.py [--prefix P] WORKDIR... - one write_share for the
device, fitted on the curve runs of many calib/model_check_writes.sh runs
together.

Each WORKDIR must have been run (or re-simulated with RESIM=1) with
WRITE_SHARE=fit, which leaves, per candidate share f and curve concurrency
C, the simulation WORKDIR/fitshare<C>-<f>/summary.json of writes alone, and
the curve runs' measurements in WORKDIR/curve-w.jsonl. For each share this
sums, over every WORKDIR and C, the squared log ratio of the simulated
writes' p99 to the mean p99 the curve runs measured at C, and prints one
line per share (the sum, and the mean ratio per C) with the smallest sum
marked, and last "best: F". With --prefix P the simulations are
WORKDIR/P<C>-<f> instead (fittshare: model curvewt's, with the writes'
tail that follows the throughput). calib/model_check_writes.sh calls it on one
WORKDIR for WRITE_SHARE=fit. Only curve runs are used: the check's own bench runs
(bench.jsonl) are not read, so the share can be checked against them
without having been fitted to them. docs/calibration.md, "A share from
the curve runs".
"""
import json
import math
import os
import sys

args = sys.argv[1:]
prefix = "fitshare"
if len(args) >= 2 and args[0] == "--prefix":
    prefix, args = args[1], args[2:]
if not args:
    sys.exit(__doc__.strip().splitlines()[0])
err, ratios = {}, {}
for work in args:
    meas = {}
    if not os.path.exists(os.path.join(work, "curve-w.jsonl")):
        sys.exit(f"{work}: no curve-w.jsonl (a run of calib/model_check_writes.sh with CURVE)")
    for line in open(os.path.join(work, "curve-w.jsonl")):
        b = json.loads(line)
        meas.setdefault(b["concurrency"], []).append(b["write"]["p99_us"] / 1e3)
    shares = sorted({d.split("-", 1)[1] for d in os.listdir(work)
                     if d.startswith(prefix) and d[len(prefix):].split("-", 1)[0].isdigit()}, key=float)
    if not shares:
        sys.exit(f"{work}: no {prefix}<C>-<f> simulations (run it with WRITE_SHARE=fit, or RESIM=1 WRITE_SHARE=fit)")
    for f in shares:
        for c, m in sorted(meas.items()):
            path = os.path.join(work, f"{prefix}{c}-{f}", "summary.json")
            sim = json.load(open(path))["by_op"]["PUT"]["latency_ms"]["p99"]
            lr = math.log(sim / (sum(m) / len(m)))
            err[f] = err.get(f, 0.0) + lr * lr
            ratios.setdefault(f, {}).setdefault(c, []).append(lr)
best = min(err, key=err.get)
print(f"{len(args)} runs; per share: sum of squared log ratios, and exp(mean log ratio) - 1 per C")
for f in sorted(err, key=float):
    per_c = ", ".join(f"C={c} {100 * (math.exp(sum(v) / len(v)) - 1):+.1f}%" for c, v in sorted(ratios[f].items()))
    print(f"{'*' if f == best else ' '} {f:>6}  {err[f]:7.3f}  {per_c}")
print(f"best: {best}")
