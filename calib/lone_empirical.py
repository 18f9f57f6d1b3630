#!/usr/bin/env python3
"""calib/lone_empirical.py CSV OP OUT - the latencies of one operation kind
(read or write) in a `cdnsim chunkio bench --latencies` CSV, as an empirical
distribution file the scenario reader takes ({"empirical": OUT}), in the
form `cdnsim calibrate` writes: quantiles at p = 0, 0.01, ..., 0.99, every
0.001 up to 0.999, every 0.0001 up to 0.9999, and 1, each interpolated
between the sorted values like GSL's gsl_stats_quantile_from_sorted_data,
and a "_fit" block with n, mean_ns and the p50 / p99 / p99.9 / min / max.

calib/model_check_writes.sh uses it (LONE=1) to take a workload's lone
operations from a bench of that workload at 1 in flight instead of from
`cdnsim calibrate`, which measures reads alone and writes alone;
docs/calibration.md, "Lone times from the workload itself"."""
import csv
import json
import sys


def quantile(v, p):
    """v sorted; like gsl_stats_quantile_from_sorted_data."""
    x = p * (len(v) - 1)
    i = int(x)
    return v[i] if i + 1 >= len(v) else v[i] + (x - i) * (v[i + 1] - v[i])


def grid():
    ps = [i / 100 for i in range(100)]
    ps += [i / 1000 for i in range(991, 1000)]
    ps += [i / 10000 for i in range(9991, 10000)]
    return ps + [1.0]


def main():
    path, op, out = sys.argv[1:4]
    v = sorted(int(r["latency_ns"]) for r in csv.DictReader(open(path)) if r["op"] == op)
    if len(v) < 2:
        sys.exit(f"{path}: fewer than 2 {op}s")
    q = [[round(p, 4), round(quantile(v, p))] for p in grid()]
    fit = {"n": len(v), "mean_ns": round(sum(v) / len(v)), "p50_ns": round(quantile(v, 0.5)),
           "p99_ns": round(quantile(v, 0.99)), "p999_ns": round(quantile(v, 0.999)), "min_ns": v[0], "max_ns": v[-1]}
    json.dump({"schema": "cdnsim.empirical/1", "unit": "ns", "quantiles": q, "_fit": fit}, open(out, "w"))


main()
