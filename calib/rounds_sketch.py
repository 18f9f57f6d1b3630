#!/usr/bin/env python3
"""calib/rounds_sketch.py - a sketch, in Python, of the disk model that 64 KiB
reads at 16 in flight seem to need (docs/calibration.md, "Why 64 KiB at C=16
is bimodal"). Not used by cdnsim; it is here so the numbers quoted in the docs
can be reproduced. The model built from it is the disk's transfer_order
"rounds" (models/disk.c; docs/calibration.md, "Answers in rounds"), which
differs: its device works on a fitted bandwidth curve, not exponential times.

    python3 calib/rounds_sketch.py W_US S_US CPU_US [SEED]

A closed loop of C = 1, 4 and 16 threads on a guest with 2 CPUs, and a device
that works in rounds:
- an idle device wakes W after the first request reaches it (W uniform in
  0.8-1.2 x W_US), takes every request waiting at that moment, serves them
  one after another (each exponential with mean S_US), and answers them all
  together at the end of the round; if requests arrived during the round, it
  wakes again W after its end;
- the threads whose reads a round answers are handled by the 2 CPUs one at a
  time each, in random order (each taking uniform 0.5-1.5 x CPU_US): a
  thread's read ends, and its next read is sent, when its CPU work is done.
Prints, for each C, the throughput and the latency's p50, p90 and p99 over
its mean, the numbers docs/calibration.md compares with the bench's.
"""
import heapq
import random
import statistics
import sys


def shape(lat):
    s = sorted(lat)
    m = statistics.fmean(lat)
    return [s[int(p * len(s))] / m for p in (0.5, 0.9, 0.99)]


def simulate(c, w_us, s_us, cpu_us, seed, ops=40000, ncpu=2):
    rnd = random.Random(seed)
    events, seq = [], [0]

    def push(t, kind, x=None):
        seq[0] += 1
        heapq.heappush(events, (t, seq[0], kind, x))

    cpu_free = [0.0] * ncpu

    def on_cpu(t, d):  # FIFO over ncpu CPUs: when the work ends
        i = min(range(ncpu), key=lambda k: cpu_free[k])
        cpu_free[i] = max(t, cpu_free[i]) + d
        return cpu_free[i]

    wake = lambda: rnd.uniform(0.8, 1.2) * w_us
    waiting, state, lat, start, nid = [], "idle", [], {}, c
    for i in range(c):
        start[i] = 0.0
        push(on_cpu(0.0, rnd.uniform(0.5, 1.5) * cpu_us / 2), "arrive", i)
    while len(lat) < ops:
        t, _, kind, x = heapq.heappop(events)
        if kind == "arrive":
            waiting.append(x)
            if state == "idle":
                state = "waking"
                push(t + wake(), "wake")
        elif kind == "wake":
            batch, waiting[:] = waiting[:], []
            state = "busy"
            push(t + sum(rnd.expovariate(1 / s_us) for _ in batch), "end", batch)
        else:  # the round ends: every read in it is answered at t
            rnd.shuffle(x)
            for op in x:
                done = on_cpu(t, rnd.uniform(0.5, 1.5) * cpu_us)
                lat.append(done - start.pop(op))
                start[nid] = done
                push(done, "arrive", nid)
                nid += 1
            state = "waking" if waiting else "idle"
            if waiting:
                push(t + wake(), "wake")
    lat = lat[2000:]
    return len(lat) / (sum(lat) / c) * 1e6, shape(lat)


def main(argv):
    if len(argv) not in (4, 5):
        sys.exit(__doc__.split("\n\n")[1])
    w, s, cpu = map(float, argv[1:4])
    seed = int(argv[4]) if len(argv) == 5 else 1
    print("| C | reads/s | p50 / mean | p90 / mean | p99 / mean |")
    print("|---|---|---|---|---|")
    for c in (1, 4, 16):
        x, (p50, p90, p99) = simulate(c, w, s, cpu, seed)
        print(f"| {c} | {x:.0f} | {p50:.2f} | {p90:.2f} | {p99:.2f} |")


if __name__ == "__main__":
    main(sys.argv)
