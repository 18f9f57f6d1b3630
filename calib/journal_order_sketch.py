#!/usr/bin/env python3
"""calib/journal_order_sketch.py W1.CSV J_US ORDER - the journal model with
writes served in another order: a sketch, not a cdnsim model.

C writers (1, 4, 16) in a closed loop. Each write holds its own channel for
max(0, w - J), w drawn from the lone writes' latencies in W1.CSV (`chunkio
bench --latencies` at concurrency 1), then waits for the journal, which
serves one write at a time for J us, the first waiting (ORDER fifo: cdnsim's
gate) or a random one (ORDER random). Prints p1 / p50 / p99 and writes per
second; docs/calibration.md ("Slow spells") compares the shape with the
measured one.
"""
import csv
import heapq
import random
import sys


def q(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p * len(v)))]


W = [int(r["latency_ns"]) / 1e3 for r in csv.DictReader(open(sys.argv[1]))]
J, order = float(sys.argv[2]), sys.argv[3]
random.seed(3)
for C in (1, 4, 16):
    ev, waiting, busy, lat, seq = [], [], False, [], 0
    for i in range(C):
        heapq.heappush(ev, (max(0, random.choice(W) - J), seq, "channel", i, 0.0))
        seq += 1
    while len(lat) < 40000:
        t, _, kind, i, start = heapq.heappop(ev)
        if kind == "channel":
            waiting.append((i, start))
        else:
            lat.append(t - start)
            busy = False
            heapq.heappush(ev, (t + max(0, random.choice(W) - J), seq, "channel", i, t))
            seq += 1
        if not busy and waiting:
            j, s = waiting.pop(0 if order == "fifo" else random.randrange(len(waiting)))
            busy = True
            heapq.heappush(ev, (t + J, seq, "journal", j, s))
            seq += 1
    lat = lat[2000:]
    print(f"C={C} p1 {q(lat, .01):.0f} p50 {q(lat, .5):.0f} p99 {q(lat, .99):.0f} us, "
          f"p99/p50 {q(lat, .99) / q(lat, .5):.2f}, {len(lat) / (sum(lat) / C) * 1e6:.0f} writes/s")
