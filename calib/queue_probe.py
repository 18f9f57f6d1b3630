#!/usr/bin/env python3
"""calib/queue_probe.py - where chunkio's reads wait, and how their speed drifts.

    calib/queue_probe.py BIN STOREDIR SIZE CONCURRENCY OPS [DEVICE]

Runs `BIN chunkio bench` (O_DIRECT whole-chunk reads of SIZE at CONCURRENCY
in flight, OPS of them, every latency kept) on STOREDIR, which must live on
the block device DEVICE (default vda), and meanwhile samples, every 0.5 ms,
how many of the device's requests hold a driver tag (handed to the driver:
the device's own queue) and how many hold a scheduler tag (anywhere from
the I/O scheduler to completion). Prints one JSON line:

- requests per read and their mean size, from /sys/block/DEVICE/stat;
- the share of samples at each driver-tag and scheduler-tag count;
- the bench's throughput, mean, p50 / mean, p90 / mean and p99 / mean;
- lag1_autocorr: the correlation of consecutive latencies (0 if they were
  independent draws);
- block_medians_us: the median latency of each run of 250 reads, in the
  order they completed, and slow_block_share: the share of those blocks
  whose median exceeds 1.3 x the median of all the block medians;
- bursts: the reads' completions cut into bursts wherever no read ended
  for more than 10 x the median time between two completions: how many
  bursts, the share of reads in bursts of exactly CONCURRENCY, the median
  gap between bursts and the share of the run spent in those gaps. A device
  that signals each read as it ends gives no bursts to speak of; one that
  signals a whole batch at once gives bursts of CONCURRENCY reads;
- late_share: the share of reads during whose wait a burst other than
  their own completed (they began too late to be in the next batch and
  waited for the one after), with late_mean_us and on_time_mean_us, the
  mean latency of those reads and of the others;
- resend_us: the median, over bursts, of how long after a burst's first
  completion the last read begun before the next burst's first completion
  was sent (how long the threads take to send the next reads), and
  taken_us: the same for the last read that still made it into the next
  burst (about when the device took its next batch);
- wake_us: the median over bursts of taken_us minus the time the first
  read after the burst was sent (how long the device took to start a round
  once a read reached it); round_us_per_read: the median over bursts of the
  time from taking a batch to the next burst, over the reads in that burst;
  resend_gap_us: the median time between two reads sent after one burst.
  calib/rounds_sketch.py takes the three as its model's parameters.

The tag counts need root and debugfs (it mounts /sys/kernel/debug if it is
not mounted). They come from /sys/kernel/debug/block/DEVICE/hctx0/{tags,
sched_tags}, so a device with several hardware queues is read on its first
only. Without them (not root, or no debugfs) it says so on stderr and
measures the rest, with empty tag counts: the rounds' parameters
(wake_us, resend_gap_us), which the disk model's transfer_order "rounds"
takes (docs/calibration.md, "Answers in rounds"), need only the bench's
latencies.
"""
import bisect
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time


def block_stat(dev):
    with open(f"/sys/block/{dev}/stat") as f:
        return [int(v) for v in f.read().split()]


def busy(dev, which):
    with open(f"/sys/kernel/debug/block/{dev}/hctx0/{which}") as f:
        m = re.search(r"busy=(\d+)", f.read())
    return int(m.group(1)) if m else -1


def shares(counts):
    n = sum(counts.values()) or 1
    return {str(k): round(v / n, 3) for k, v in sorted(counts.items())}


def cut_bursts(ends):
    """Cuts sorted completion times into bursts wherever no read ended for
    more than 10 x the median time between two completions. Returns the
    first completion of each burst, each burst's size and the gaps that cut
    them."""
    gaps = [b - a for a, b in zip(ends, ends[1:])]
    cut = 10 * statistics.median(gaps)
    sizes, between, cur = [], [], 1
    for g in gaps:
        if g > cut:
            sizes.append(cur)
            between.append(g)
            cur = 1
        else:
            cur += 1
    sizes.append(cur)
    firsts = [ends[0]] + [ends[i + 1] for i, g in enumerate(gaps) if g > cut]
    return firsts, sizes, between


def rounds_params(firsts, ends, first_sent, last_taken, sent):
    """wake_us, round_us_per_read and resend_gap_us (see the docstring)."""
    wake, per_read, resend = [], [], []
    for k, taken in last_taken.items():
        if k in first_sent and k + 2 <= len(firsts) - 1:
            wake.append(taken - first_sent[k])
            n = bisect.bisect_left(ends, firsts[k + 2]) - bisect.bisect_left(ends, firsts[k + 1])
            if n > 0:
                per_read.append((firsts[k + 1] - firsts[k] - taken) / n)
    for v in sent.values():
        v.sort()
        resend += [b - a for a, b in zip(v, v[1:])]
    med = lambda v: round(statistics.median(v) / 1e3, 1) if v else 0
    return {"wake_us": med(wake), "round_us_per_read": med(per_read), "resend_gap_us": med(resend)}


def main(argv):
    if len(argv) not in (6, 7):
        sys.exit(__doc__.split("\n\n")[1])
    binary, store, size, conc, ops = argv[1:6]
    dev = argv[6] if len(argv) == 7 else "vda"
    if not os.path.exists(f"/sys/kernel/debug/block/{dev}"):
        subprocess.run(["mount", "-t", "debugfs", "none", "/sys/kernel/debug"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tags = os.path.exists(f"/sys/kernel/debug/block/{dev}/hctx0/tags")
    if not tags:
        print(f"queue_probe: no /sys/kernel/debug/block/{dev}/hctx0/tags (root and debugfs needed): "
              "measuring without the tag counts", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        lat_csv = os.path.join(tmp, "lat.csv")
        s0 = block_stat(dev)
        p = subprocess.Popen([binary, "chunkio", "bench", "--dir", store, "--chunk", size, "--ops", ops,
                              "--concurrency", conc, "--mix", "read:100", "--direct",
                              "--latencies", lat_csv], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        driver, sched = {}, {}
        time.sleep(0.3)  # past the bench's setup (writing the working set)
        while tags and p.poll() is None:
            d, s = busy(dev, "tags"), busy(dev, "sched_tags")
            driver[d] = driver.get(d, 0) + 1
            sched[s] = sched.get(s, 0) + 1
            time.sleep(0.0005)
        out = p.communicate()[0].decode()
        if p.returncode != 0:
            sys.exit(f"queue_probe: bench failed ({p.returncode}): {out.strip()}")
        s1 = block_stat(dev)
        with open(lat_csv) as f:
            rows = [line.split(",") for line in f if line.startswith("read,")]
        lat = [int(r[1]) for r in rows]
        ends = sorted(int(r[2]) for r in rows)
        spans = sorted((int(r[2]) - int(r[1]), int(r[2])) for r in rows)  # (start, end), by start
    bench = json.loads(out)
    reads = s1[0] - s0[0]
    mean = statistics.fmean(lat)
    srt = sorted(lat)
    q = lambda p: srt[min(len(srt) - 1, int(p * len(srt)))]
    var = statistics.pvariance(lat)
    lag1 = sum((lat[i] - mean) * (lat[i + 1] - mean) for i in range(len(lat) - 1)) / (len(lat) - 1) / var
    blocks = [statistics.median(lat[i:i + 250]) / 1e3 for i in range(0, len(lat) - 249, 250)]
    typical = statistics.median(blocks)
    # a read is late if a burst's first completion falls inside its wait
    # (after it began, before its own burst began)
    firsts, sizes, between = cut_bursts(ends)
    late, on_time = [], []
    last_sent, last_taken = {}, {}  # burst k -> latest start after firsts[k]
    first_sent, sent = {}, {}       # burst k -> earliest start after firsts[k], all of them
    for s, e in spans:
        lo = bisect.bisect_right(firsts, s)
        hi = bisect.bisect_right(firsts, e) - 1  # index of this read's own burst
        (late if hi > lo else on_time).append(e - s)
        k = lo - 1  # the burst whose first completion came last before s
        if k >= 0:
            last_sent[k] = max(last_sent.get(k, 0), s - firsts[k])
            first_sent[k] = min(first_sent.get(k, s - firsts[k]), s - firsts[k])
            sent.setdefault(k, []).append(s)
            if hi == k + 1:
                last_taken[k] = max(last_taken.get(k, 0), s - firsts[k])
    print(json.dumps({
        "size": size, "concurrency": int(conc), "reads": len(lat),
        "requests_per_read": round(reads / len(lat), 3),
        "request_kib": round((s1[2] - s0[2]) / 2 / max(reads, 1), 1),
        "driver_tags_busy": shares(driver), "sched_tags_busy": shares(sched),
        "ops_per_s": bench["ops_per_s"], "mean_us": round(mean / 1e3, 1),
        "p50_over_mean": round(q(0.5) / mean, 3), "p90_over_mean": round(q(0.9) / mean, 3),
        "p99_over_mean": round(q(0.99) / mean, 3), "lag1_autocorr": round(lag1, 3),
        "block_medians_us": [round(b) for b in blocks],
        "slow_block_share": round(sum(b > 1.3 * typical for b in blocks) / len(blocks), 3),
        "bursts": len(sizes),
        "reads_in_full_bursts": round(sum(s for s in sizes if s == int(conc)) / len(lat), 3),
        "burst_gap_median_us": round(statistics.median(between) / 1e3, 1) if between else 0,
        "time_in_burst_gaps": round(sum(between) / max(ends[-1] - ends[0], 1), 3),
        "late_share": round(len(late) / len(spans), 3),
        "late_mean_us": round(statistics.fmean(late) / 1e3, 1) if late else 0,
        "on_time_mean_us": round(statistics.fmean(on_time) / 1e3, 1) if on_time else 0,
        "resend_us": round(statistics.median(last_sent.values()) / 1e3, 1) if last_sent else 0,
        "taken_us": round(statistics.median(last_taken.values()) / 1e3, 1) if last_taken else 0,
        **rounds_params(firsts, ends, first_sent, last_taken, sent),
    }))


if __name__ == "__main__":
    main(sys.argv)
