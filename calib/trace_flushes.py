#!/usr/bin/env python3
"""calib/trace_flushes.py TRACE... - what the device did for chunkio's durable
writes, from a tracefs text trace (plain or .gz) of the events
block_rq_issue, block_rq_complete, ext4_sync_file_enter/exit and
jbd2_start_commit/end_commit, taken around one `cdnsim chunkio bench`
(calib/runs/flushes-2026-11-28/trace.sh shows how).

Prints per trace: the requests issued by kind (cache flushes, writes by
their flags and size, reads), the cache flushes per data write (a write
of more than 4 KiB by cdnsim), the time from issue to completion of the
flushes and of cdnsim's writes by flags and size, the time of each
fsync/fdatasync, the journal commits seen, and how the slow flushes (above
200 us) fall in 100 ms bins of the run. docs/calibration.md, "A tail that
follows the throughput".
"""
import gzip
import re
import sys

if len(sys.argv) < 2:
    sys.exit(__doc__.strip().splitlines()[0])
pat = re.compile(r"^\s*(.+?)-(\d+)\s+\[(\d+)\]\s+\S+\s+([\d.]+): (\w+): (.*)$")


def q(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p * len(v)))] if v else float("nan")


def is_flush(f):  # "FF 0 () 0 + 0": a cache flush without data
    return f[1].startswith("F") and len(f) > 6 and f[4] == "0" and f[6] == "0"


for fn in sys.argv[1:]:
    fl, pend, reqs, sync, syncs, commits, issued = [], [], {}, {}, [], 0, {}
    done = {}
    t0 = None
    for line in (gzip.open(fn, "rt") if fn.endswith(".gz") else open(fn)):
        m = pat.match(line)
        if not m:
            continue
        t, comm, pid, ev, a = float(m.group(4)) * 1e6, m.group(1), int(m.group(2)), m.group(5), m.group(6)
        t0 = t if t0 is None else t0
        f = a.split()
        if ev == "block_rq_issue":
            if is_flush(f):
                pend.append(t)
                issued["flush"] = issued.get("flush", 0) + 1
            else:  # dev rwbs bytes () sector + sectors
                key = (f[1], int(f[6]), "cdnsim" if comm.startswith("cdnsim") else "other")
                issued[key] = issued.get(key, 0) + 1
                reqs[f[4]] = (t, key)
        elif ev == "block_rq_complete":
            if f[1].startswith("F") and f[3] == "18446744073709551615":
                if pend:
                    ti = pend.pop(0)
                    fl.append((ti - t0, t - ti))
            elif f[3] in reqs:
                ti, key = reqs.pop(f[3])
                done.setdefault(key, []).append(t - ti)
        elif ev == "ext4_sync_file_enter":
            sync[pid] = t
        elif ev == "ext4_sync_file_exit" and pid in sync:
            syncs.append(t - sync.pop(pid))
        elif ev == "jbd2_start_commit":
            commits += 1
    print(fn)
    print("  issued:", ", ".join(f"{k if isinstance(k, str) else ' '.join(map(str, k))} {n}"
                                 for k, n in sorted(issued.items(), key=lambda e: -e[1])[:8]))
    d = [x[1] for x in fl]
    data = sum(n for k, n in issued.items() if not isinstance(k, str) and k[0].startswith("W") and k[1] > 8
               and k[2] == "cdnsim")
    print(f"  cache flushes: {len(d)} ({len(d) / data if data else float('nan'):.2f} per data write of cdnsim), "
          f"us p50 {q(d, .5):.0f} p90 {q(d, .9):.0f} p99 {q(d, .99):.0f} max {max(d):.0f}")
    for key, v in sorted(done.items(), key=lambda e: -len(e[1]))[:4]:
        if key[2] == "cdnsim":
            print(f"  cdnsim {key[0]} of {key[1]} sectors: {len(v)}, us p50 {q(v, .5):.0f} p99 {q(v, .99):.0f}")
    print(f"  fsync/fdatasync: {len(syncs)}, us p50 {q(syncs, .5):.0f} p90 {q(syncs, .9):.0f} p99 {q(syncs, .99):.0f}")
    print(f"  journal commits: {commits}")
    bins = {}
    for ts, dt in fl:
        if dt > 200:
            bins[int(ts // 100000)] = bins.get(int(ts // 100000), 0) + 1
    print(f"  flushes over 200 us: {sum(bins.values())}, per 100 ms bin (bin: count):",
          " ".join(f"{b}:{n}" for b, n in sorted(bins.items())))
