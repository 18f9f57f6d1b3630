#!/usr/bin/env python3
"""calib/slow_flushes.py [--above US] DIR... - how often a durable write's
flushes are slow, per workload, from `cdnsim chunkio bench --latencies` runs.

Each DIR holds runs NAME-K.json (the bench's line) and NAME-K.csv or
NAME-K.csv.gz (its --latencies file); NAME, e.g. read_70_write_30, is the
workload. A flush (a write's fdatasync or its directory's fsync) is slow
above US microseconds (default 300: the median is under 200 on this
machine). Prints per workload, mean ± standard error over its runs: the
bytes moved per second, the slow flushes per flush and per second, the
writes with a slow flush, and the writes' p99; then, pooled over the runs
of each workload with reads, the writes with a slow flush against the
number of reads that ended between the write and the write before it.
docs/calibration.md, "A tail that follows the throughput".
"""
import math
import sys

import bench_runs

args = sys.argv[1:]
above = 300.0
if len(args) >= 2 and args[0] == "--above":
    above, args = float(args[1]), args[2:]
if not args:
    sys.exit(__doc__.strip().splitlines()[0])
th = above * 1000
runs = {}
after = {}
for d in args:
    for name, b, rows in bench_runs.runs(d):
        writes = [r for r in rows if r["op"] == "write"]
        if not writes:
            continue
        slow = [int(r["fdatasync_ns"]) > th or int(r["dir_fsync_ns"]) > th for r in writes]
        nslow = sum((int(r["fdatasync_ns"]) > th) + (int(r["dir_fsync_ns"]) > th) for r in writes)
        runs.setdefault(name, []).append({
            "mib_s": b["mib_per_s"], "per_flush": nslow / (2 * len(writes)), "per_s": nslow / b["elapsed_s"],
            "writes": sum(slow) / len(writes), "p99": b["write"]["p99_us"]})
        # reads between each write and the one before it, in completion order
        ev = sorted(((int(r["end_ns"]), r) for r in rows), key=lambda e: e[0])
        n = None
        for _, r in ev:
            if r["op"] == "read":
                n = None if n is None else n + 1
            else:
                if n is not None and b["read_pct"] > 0:
                    s = int(r["fdatasync_ns"]) > th or int(r["dir_fsync_ns"]) > th
                    a = after.setdefault((name, min(n, 4)), [0, 0])
                    a[0] += 1
                    a[1] += s
                n = 0


def ms(v):
    m = sum(v) / len(v)
    se = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1) / len(v)) if len(v) > 1 else float("nan")
    return m, se


print(f"slow flush: above {above:g} us; mean ± standard error over the runs")
print()
print("| workload | runs | MiB/s | slow per flush | slow flushes/s | writes with one | writes' p99 (us) |")
print("|---|---|---|---|---|---|---|")
for name, v in sorted(runs.items()):
    c = {k: ms([r[k] for r in v]) for k in v[0]}
    print(f"| {name} | {len(v)} | {c['mib_s'][0]:.0f} ± {c['mib_s'][1]:.0f} | {100 * c['per_flush'][0]:.2f} ± "
          f"{100 * c['per_flush'][1]:.2f}% | {c['per_s'][0]:.1f} ± {c['per_s'][1]:.1f} | {100 * c['writes'][0]:.2f} ± "
          f"{100 * c['writes'][1]:.2f}% | {c['p99'][0]:.0f} ± {c['p99'][1]:.0f} |")
if after:
    print()
    print("| workload | reads since the write before | writes | with a slow flush |")
    print("|---|---|---|---|")
    for (name, n), (cnt, s) in sorted(after.items()):
        p = s / cnt
        print(f"| {name} | {n if n < 4 else '4 or more'} | {cnt} | {100 * p:.2f} ± {100 * math.sqrt(p * (1 - p) / cnt):.2f}% |")
