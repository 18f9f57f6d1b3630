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
  whose median exceeds 1.3 x the median of all the block medians.

Needs root and debugfs (it mounts /sys/kernel/debug if it is not mounted).
The tag counts come from /sys/kernel/debug/block/DEVICE/hctx0/{tags,sched_tags},
so a device with several hardware queues is read on its first only.
"""
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


def main(argv):
    if len(argv) not in (6, 7):
        sys.exit(__doc__.split("\n\n")[1])
    binary, store, size, conc, ops = argv[1:6]
    dev = argv[6] if len(argv) == 7 else "vda"
    if not os.path.exists(f"/sys/kernel/debug/block/{dev}"):
        subprocess.run(["mount", "-t", "debugfs", "none", "/sys/kernel/debug"], check=False)
    if not os.path.exists(f"/sys/kernel/debug/block/{dev}/hctx0/tags"):
        sys.exit(f"queue_probe: no /sys/kernel/debug/block/{dev}/hctx0/tags (root and debugfs needed)")
    with tempfile.TemporaryDirectory() as tmp:
        lat_csv = os.path.join(tmp, "lat.csv")
        s0 = block_stat(dev)
        p = subprocess.Popen([binary, "chunkio", "bench", "--dir", store, "--chunk", size, "--ops", ops,
                              "--concurrency", conc, "--mix", "read:100", "--direct",
                              "--latencies", lat_csv], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        driver, sched = {}, {}
        time.sleep(0.3)  # past the bench's setup (writing the working set)
        while p.poll() is None:
            d, s = busy(dev, "tags"), busy(dev, "sched_tags")
            driver[d] = driver.get(d, 0) + 1
            sched[s] = sched.get(s, 0) + 1
            time.sleep(0.0005)
        out = p.stdout.read().decode()
        if p.returncode != 0:
            sys.exit(f"queue_probe: bench failed ({p.returncode}): {out.strip()}")
        s1 = block_stat(dev)
        with open(lat_csv) as f:
            lat = [int(line.split(",")[1]) for line in f if line.startswith("read,")]
    bench = json.loads(out)
    reads = s1[0] - s0[0]
    mean = statistics.fmean(lat)
    srt = sorted(lat)
    q = lambda p: srt[min(len(srt) - 1, int(p * len(srt)))]
    var = statistics.pvariance(lat)
    lag1 = sum((lat[i] - mean) * (lat[i + 1] - mean) for i in range(len(lat) - 1)) / (len(lat) - 1) / var
    blocks = [statistics.median(lat[i:i + 250]) / 1e3 for i in range(0, len(lat) - 249, 250)]
    typical = statistics.median(blocks)
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
    }))


if __name__ == "__main__":
    main(sys.argv)
