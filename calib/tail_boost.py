#!/usr/bin/env python3
"""calib/tail_boost.py [--above K] [--flush US] DIR... - the disk's
write_tail_read_boost b, from `cdnsim chunkio bench --latencies` runs at
one in flight: how much more often a write lands in the tail when the
device's bytes are partly reads'.

Each DIR holds runs NAME-K.json and NAME-K.csv(.gz) (calib/bench_runs.py),
among them writes alone (read_pct 0). A write is in the tail, as the disk model's `write_tail_above` T defines it, when
its latency is above K (default 1.5) times the median of that DIR's
writes alone; with --flush US instead, when one of its two flushes took
more than US microseconds (the proxy docs/calibration.md used first).

Prints, per workload, the share of writes in the tail (mean ± standard
error over its runs) and the median latency of those writes (all runs
pooled), then a weighted least-squares line of that share
against the read share (weights 1 / standard error squared): its
intercept a and slope s, and b = s / a, with the range two standard
errors of the slope give. The disk draws the tail p x (1 + b x the
reads' share of the bytes) of the time; every chunk here is the same
size, so the reads' share of the bytes is their share of the operations.
docs/calibration.md, "A tail that follows the reads".
"""
import math
import statistics
import sys

import bench_runs

args = sys.argv[1:]
k, flush = 1.5, None
while len(args) >= 2 and args[0] in ("--above", "--flush"):
    if args[0] == "--above":
        k = float(args[1])
    else:
        flush = float(args[1]) * 1000
    args = args[2:]
if not args:
    sys.exit(__doc__.strip().splitlines()[0])


runs = {}    # workload -> [share of writes in the tail, one per run]
shares = {}  # workload -> read share
tails = {}   # workload -> latencies (us) of its writes in the tail, all runs
for d in args:
    loaded = [(name, b["read_pct"] / 100, [r for r in rows if r["op"] == "write"])
              for name, b, rows in bench_runs.runs(d)]
    loaded = [x for x in loaded if x[2]]
    alone = [int(r["latency_ns"]) for _, rs, w in loaded if rs == 0 for r in w]
    if flush is None and not alone:
        sys.exit(f"{d}: no run of writes alone, so no median to set the tail by")
    t = k * statistics.median(alone) if alone else 0
    for name, rs, writes in loaded:
        if flush is None:
            tail = [r for r in writes if int(r["latency_ns"]) > t]
        else:
            tail = [r for r in writes if int(r["fdatasync_ns"]) > flush or int(r["dir_fsync_ns"]) > flush]
        runs.setdefault(name, []).append(len(tail) / len(writes))
        tails.setdefault(name, []).extend(int(r["latency_ns"]) / 1000 for r in tail)
        shares[name] = rs

what = f"latency above {k:g} x the median of writes alone" if flush is None else f"a flush above {flush / 1000:g} us"
print(f"writes in the tail ({what}); mean ± standard error over the runs")
print()
print("| workload | read share | runs | writes in the tail | their median latency |")
print("|---|---|---|---|---|")
pts = []
for name in sorted(runs, key=lambda n: shares[n]):
    v = runs[name]
    m = statistics.fmean(v)
    se = statistics.stdev(v) / math.sqrt(len(v)) if len(v) > 1 else float("nan")
    tm = f"{statistics.median(tails[name]):.0f} us" if tails[name] else "-"
    print(f"| {name} | {shares[name]:g} | {len(v)} | {100 * m:.3f} ± {100 * se:.3f}% | {tm} |")
    if se > 0:
        pts.append((shares[name], m, 1 / se ** 2))
if len({x for x, _, _ in pts}) < 2:
    sys.exit("need runs at two read shares or more, each with two runs or more")
W = sum(w for _, _, w in pts)
xb = sum(w * x for x, _, w in pts) / W
yb = sum(w * y for _, y, w in pts) / W
sxx = sum(w * (x - xb) ** 2 for x, _, w in pts)
s = sum(w * (x - xb) * (y - yb) for x, y, w in pts) / sxx
a = yb - s * xb
se = math.sqrt(1 / sxx)
print()
print(f"intercept {100 * a:.3f}%, slope {100 * s:.3f} points (standard error {100 * se:.3f}): "
      f"b = {s / a:.2f} ({(s - 2 * se) / a:.2f} to {(s + 2 * se) / a:.2f} within two standard errors)")
