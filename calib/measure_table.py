#!/usr/bin/env python3
"""calib/measure_table.py - the chunkio-vs-fio table of docs/calibration.md.

    python3 calib/measure_table.py OUT.jsonl

OUT.jsonl is what calib/measure.sh appended: one line per run, chunkio's
bench JSON (with "tool": "chunkio", "op" and "load1" added) or fio's digest
("tool": "fio"). Prints one markdown row per (op, size, I/O, C) with both
tools side by side, in the order measure.sh ran them. Times are in
microseconds; fio's write latency is its pwrite alone, its fdatasync is the
column before the load averages.
"""
import json
import sys


def size_name(b):
    return f"{b >> 20}MiB" if b >= 1 << 20 else f"{b >> 10}KiB"


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__.split("\n\n")[1])
    rows, order = {}, []
    with open(argv[1]) as f:
        for n, line in enumerate(f, 1):
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{argv[1]}:{n}: not JSON: {e}")
            if d.get("tool") == "chunkio":
                key = (d["op"], size_name(d["chunk"]), "direct" if d["direct"] else "buffered", d["concurrency"])
                side = d[d["op"]]
                cell = {"p50": side["p50_us"], "p99": side["p99_us"], "p999": side["p999_us"],
                        "ops": d["ops_per_s"], "load": d["load1"]}
            else:
                key = (d["op"], d["chunk"], "direct" if d["direct"] else "buffered", d["concurrency"])
                cell = {"p50": d["p50_us"], "p99": d["p99_us"], "p999": d["p999_us"], "ops": d["ops_per_s"],
                        "load": d["load1"], "sync": (d.get("sync_p50_us"), d.get("sync_p99_us"))}
            if key not in rows:
                rows[key] = {}
                order.append(key)
            rows[key][d["tool"]] = cell
    print("| op | size | I/O | C | chunkio p50 | p99 | p99.9 | ops/s | fio p50 | p99 | p99.9 | ops/s "
          "| fio fdatasync p50 / p99 | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for key in order:
        c, f = rows[key].get("chunkio"), rows[key].get("fio")
        cols = list(map(str, key))
        for cell in (c, f):
            cols += [f"{cell[k]:.0f}" for k in ("p50", "p99", "p999", "ops")] if cell else ["-"] * 4
        sync = f["sync"] if f and f["sync"][0] is not None else None
        cols.append(f"{sync[0]:.0f} / {sync[1]:.0f}" if sync else "-")
        cols.append("/".join(f"{x['load']:.1f}" for x in (c, f) if x))
        print("| " + " | ".join(cols) + " |")


if __name__ == "__main__":
    main(sys.argv)
