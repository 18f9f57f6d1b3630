#!/usr/bin/env python3
"""calib/write_tail_probe.py RUNDIR... [--mix CSV] [--min K...] - what the
latencies of calib/write_tail_check.sh runs say about the writes' tail.

For each RUNDIR (its w1.csv, w4.csv, w16.csv from `chunkio bench
--latencies`: op,latency_ns,end_ns):
- the gaps between consecutive completions at 4 and 16 in flight (after the
  first tenth): mean, median, p99, and the share under 100 us;
- at 16 in flight, how many other writes completed while each write was in
  flight (16 if the journal served them in order, FIFO): p1, p50, p99;
- the slow spells in w1.csv found as `cdnsim calibrate --spells` finds them
  (runs of CHUNKIO_SPELL_MIN = 3 or more writes over 1.5 x the median), and
  with --min K the same for runs of K or more; then, over all RUNDIRs, the
  spells' lengths and factors (their mean latency over the run's median).
--mix CSV: a concurrency-1 run of reads and writes; prints how much slower
the reads are inside the writes' spells (found with runs of 3) than outside.
--steps CSV...: runs with the step columns of `chunkio bench --latencies`
(write_ns, fdatasync_ns, rename_ns, dir_fsync_ns); prints the gaps between
consecutive renames' ends (after the first tenth). Renames into another
directory are serialised, so under load these gaps are how long each one
held the lock. With a run of reads and writes, also how much of the time a
write's fdatasync or directory fsync was in progress, and the latency of the
reads that overlapped one (90% or more of their time) against the others
(less than half).
"""
import bisect
import csv
import statistics as st
import sys


def q(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p * len(v)))]


def load(path):
    return [(r["op"], int(r["latency_ns"]), int(r["end_ns"])) for r in csv.DictReader(open(path))]


def spells(lat, k, slow_x=1.5):
    """[(first, last + 1)] index ranges of runs of >= k latencies over slow_x x median"""
    slow = slow_x * st.median(lat)
    out, i = [], 0
    while i < len(lat):
        j = i
        while j < len(lat) and lat[j] > slow:
            j += 1
        if j - i >= k:
            out.append((i, j))
        i = max(j, i + 1)
    return out


args = sys.argv[1:]
mix, mins, steps = None, [3], []
if "--steps" in args:
    i = args.index("--steps")
    steps = args[i + 1:]
    del args[i:]
if "--mix" in args:
    i = args.index("--mix")
    mix = args[i + 1]
    del args[i:i + 2]
if "--min" in args:
    i = args.index("--min")
    mins = [int(x) for x in args[i + 1:]]
    del args[i:]
pooled = {}
for d in args:
    print(d)
    for c in (4, 16):
        rows = load(f"{d}/w{c}.csv")
        ends = sorted(e for _, _, e in rows)
        gaps = [(ends[i + 1] - ends[i]) / 1e3 for i in range(len(ends) // 10, len(ends) - 1)]
        print(f"  C={c} gaps: mean {st.mean(gaps):.0f} us, p50 {q(gaps, .5):.0f}, p99 {q(gaps, .99):.0f}, "
              f"under 100 us {sum(g < 100 for g in gaps) / len(gaps) * 100:.0f}%")
        if c == 16:
            n = [bisect.bisect_left(ends, e) - bisect.bisect_right(ends, e - l) for _, l, e in rows[len(rows) // 10:]]
            print(f"  C=16 writes completed while one was in flight: p1 {q(n, .01)}, p50 {q(n, .5)}, p99 {q(n, .99)}")
    rows = load(f"{d}/w1.csv")
    lat = [l for _, l, _ in rows]
    elapsed = max(e for _, _, e in rows)
    for k in mins:
        sp = spells(lat, k)
        ops = sum(j - i for i, j in sp)
        t = sum(sum(lat[i:j]) for i, j in sp)
        print(f"  C=1 spells of {k}+ slow writes: {len(sp)} in {elapsed / 1e9:.1f} s, {ops} writes, "
              f"{t / elapsed * 100:.1f}% of the time")
        med = st.median(lat)
        pooled.setdefault(k, []).extend((sum(lat[i:j]) / 1e6, st.mean(lat[i:j]) / med) for i, j in sp)
for k, v in pooled.items():
    if v:
        ln, fa = [x for x, _ in v], [y for _, y in v]
        print(f"all runs, spells of {k}+: {len(v)}; length min {min(ln):.1f}, median {q(ln, .5):.1f}, "
              f"max {max(ln):.1f} ms; factor min {min(fa):.2f}, median {q(fa, .5):.2f}, max {max(fa):.2f}")
if mix:
    rows = sorted(load(mix), key=lambda r: r[2])
    w = [(l, e) for op, l, e in rows if op == "write"]
    win = [(w[i][1] - w[i][0], w[j - 1][1]) for i, j in spells([l for l, _ in w], 3)]
    inside = [l for op, l, e in rows if op == "read" and any(s <= e <= t for s, t in win)]
    outside = [l for op, l, e in rows if op == "read" and not any(s <= e <= t for s, t in win)]
    print(f"{mix}: {len(win)} write spells; reads inside: {len(inside)}, mean {st.mean(inside) / 1e3:.0f} us; "
          f"outside: {len(outside)}, mean {st.mean(outside) / 1e3:.0f} us "
          f"(x{st.mean(inside) / st.mean(outside):.2f})")
for path in steps:
    ends = []
    for r in csv.DictReader(open(path)):
        if r["op"] == "write" and r["dir_fsync_ns"]:
            ends.append(int(r["end_ns"]) - int(r["dir_fsync_ns"]))
    ends.sort()
    g = [(ends[i + 1] - ends[i]) / 1e3 for i in range(len(ends) // 10, len(ends) - 1)]
    print(f"{path}: gaps between rename ends: mean {st.mean(g):.0f} us, p10 {q(g, .1):.0f}, p50 {q(g, .5):.0f}, "
          f"p90 {q(g, .9):.0f}, p99 {q(g, .99):.0f}; under 20 us {sum(x < 20 for x in g) / len(g) * 100:.1f}%")
for path in steps:
    rows = list(csv.DictReader(open(path)))
    syncs = []
    for r in rows:
        if r["op"] != "write" or not r["dir_fsync_ns"]:
            continue
        end, ds, rn, fs = (int(r[k]) for k in ("end_ns", "dir_fsync_ns", "rename_ns", "fdatasync_ns"))
        syncs.append((end - ds, end))
        syncs.append((end - ds - rn - fs, end - ds - rn))
    reads = [(int(r["end_ns"]) - int(r["latency_ns"]), int(r["end_ns"])) for r in rows if r["op"] == "read"]
    if not syncs or not reads:
        continue
    cover, depth, last = [], 0, None  # the union of the sync intervals
    for t, d in sorted([(a, 1) for a, _ in syncs] + [(b, -1) for _, b in syncs]):
        if depth > 0 and last is not None and t > last:
            cover.append((last, t))
        depth += d
        last = t
    starts = [a for a, _ in cover]

    def covered(a, b):
        tot, i = 0, max(0, bisect.bisect_right(starts, a) - 1)
        while i < len(cover) and cover[i][0] < b:
            tot += max(0, min(b, cover[i][1]) - max(a, cover[i][0]))
            i += 1
        return tot / (b - a) if b > a else 0

    fr = [(covered(a, b), (b - a) / 1e3) for a, b in reads]
    inside = [l for f, l in fr if f >= 0.9]
    outside = [l for f, l in fr if f < 0.5]
    span = max(b for _, b in syncs) - min(a for a, _ in syncs)
    print(f"{path}: a sync in progress {sum(b - a for a, b in cover) / span * 100:.0f}% of the time; reads inside "
          f"syncs {len(inside)}, p50 {q(inside, .5):.0f} us; reads mostly outside {len(outside)}, p50 "
          f"{q(outside, .5):.0f} us" if inside and outside else f"{path}: too few reads on one side")
