"""calib/bench_runs.py - reading a directory of `cdnsim chunkio bench
--latencies` runs, for calib/slow_flushes.py and calib/tail_boost.py.

A run is NAME-K.json (the bench's line) beside NAME-K.csv or NAME-K.csv.gz
(its --latencies file); NAME, e.g. read_70_write_30, is the workload.
"""
import csv
import glob
import gzip
import json
import os


def runs(d):
    """Yields (NAME, the bench's line as a dict, the latency rows as dicts)
    for each run in directory d, in file-name order."""
    for j in sorted(glob.glob(os.path.join(d, "*.json"))):
        path = j[:-5] + ".csv"
        f = open(path) if os.path.exists(path) else gzip.open(path + ".gz", "rt")
        with f:
            rows = list(csv.DictReader(f))
        yield os.path.basename(j)[:-5].rsplit("-", 1)[0], json.load(open(j)), rows
