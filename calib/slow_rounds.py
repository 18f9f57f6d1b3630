#!/usr/bin/env python3
"""calib/slow_rounds.py - do a bench's slowest reads come one at a time or in
whole slow rounds? (docs/calibration.md, "Answers in rounds")

    python3 calib/slow_rounds.py LATENCIES.csv

LATENCIES.csv is what `cdnsim chunkio bench --latencies FILE` writes (op,
latency_ns, end_ns, ...). The completions are cut into bursts by
calib/queue_probe.py's cut_bursts (wherever no read ended for more than 10 x
the median gap between two completions). Prints one JSON line:

- p50_us, p99_us: of every read;
- bursts, and round_interval_us: the median, p90 and p99 of the time from
  one burst's first completion to the next one's;
- slow_reads: the reads at or above the p99, and slow_bursts: the bursts
  that hold at least one of them;
- slow_per_burst: how many slow reads those bursts hold ({count: bursts});
  a device that slows one read at a time gives mostly 1s, one that slows a
  whole round gives the round's size;
- slow_burst_interval_us: the median time from the burst before to each
  slow burst, against round_interval_us's median;
- slow_waited_a_burst: slow reads during whose wait another burst ended.
"""
import bisect
import collections
import json
import statistics
import sys

from queue_probe import cut_bursts


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__.split("\n\n")[1])
    with open(argv[1]) as f:
        rows = [line.split(",") for line in f if line.startswith("read,")]
    if len(rows) < 100:
        sys.exit("slow_rounds: fewer than 100 reads in " + argv[1])
    lat = [int(r[1]) for r in rows]
    end = [int(r[2]) for r in rows]
    firsts = cut_bursts(sorted(end))[0]
    burst = lambda t: bisect.bisect_right(firsts, t) - 1
    srt = sorted(lat)
    q = lambda v, p: v[min(len(v) - 1, int(p * len(v)))]
    p99 = q(srt, 0.99)
    slow = [(e - l, e) for l, e in zip(lat, end) if l >= p99]
    per_burst = collections.Counter(burst(e) for _, e in slow)
    intervals = sorted(b - a for a, b in zip(firsts, firsts[1:]))
    slow_iv = [firsts[b] - firsts[b - 1] for b in per_burst if b > 0]
    print(json.dumps({
        "reads": len(lat), "p50_us": round(q(srt, 0.5) / 1e3, 1), "p99_us": round(p99 / 1e3, 1),
        "bursts": len(firsts),
        "round_interval_us": [round(q(intervals, p) / 1e3) for p in (0.5, 0.9, 0.99)] if intervals else [],
        "slow_reads": len(slow), "slow_bursts": len(per_burst),
        "slow_per_burst": dict(sorted(collections.Counter(per_burst.values()).items())),
        "slow_burst_interval_us": round(statistics.median(slow_iv) / 1e3) if slow_iv else 0,
        "slow_waited_a_burst": sum(1 for s, e in slow if burst(e) > bisect.bisect_right(firsts, s)),
    }))


if __name__ == "__main__":
    main(sys.argv)
