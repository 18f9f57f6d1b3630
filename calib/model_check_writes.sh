#!/bin/sh
# calib/model_check_writes.sh - issue 7's check for writes: does the model of
# the chunk store predict its durable writes, alone and mixed with reads?
#
#   calib/model_check_writes.sh BIN STOREDIR WORKDIR CHANNELS [OPS] [WRITE_MODEL]
#
# For whole 1 MiB chunks, O_DIRECT (the sibling of calib/model_check.sh,
# which does reads):
# 1. the device's bandwidth under load B (the disk's `shared_bandwidth`):
#    `cdnsim chunkio bench` reads at concurrency 32, reads/s x (1 MiB + 4 KiB);
# 2. `cdnsim calibrate --sizes 1MiB` measures reads and durable writes at
#    concurrency 1: WORKDIR/cal.read-1MiB.json and cal.write-1MiB.json, the
#    disk's `access` and `write`;
# 3. `cdnsim chunkio bench --mix write:100` and `--mix read:70,write:30` at
#    concurrency 1, 4 and 16 (OPS operations each, default 1000);
# 4. `cdnsim run calib/chunkio-model.json` with the same mix and concurrency,
#    the two calibrated distributions, CHANNELS channels and B; WRITE_MODEL
#    (optional) is extra --set arguments for the disk, e.g.
#    "--set components.disk.write_batch=true";
# 5. prints a markdown table per mix: measured and simulated p50, p99 of
#    reads and writes and throughput, with relative differences, and writes
#    WORKDIR/rows.jsonl (one line per point) for averaging over runs.
# Run it under `nice -n -20` (root) so that other builds delay the measuring
# threads less; the disk and its journal are shared all the same.
set -eu
BIN=$1 STORE=$2 WORK=$3 CH=$4 OPS=${5:-1000} EXTRA=${6:-}
SIZE=1MiB
mkdir -p "$WORK" "$STORE"
here=$(cd "$(dirname "$0")" && pwd)
bw=$("$BIN" chunkio bench --dir "$STORE" --chunk $SIZE --ops $((OPS * 2)) --concurrency 32 --mix read:100 --direct \
        2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(int(d["read"]["ops_per_s"] * (d["chunk"] + 4096)))')
"$BIN" calibrate --dir "$STORE" --out "$WORK/cal.json" --sizes $SIZE --ops "$OPS" >"$WORK/calibrate.txt" 2>/dev/null
: >"$WORK/bench.jsonl"
for mix in write:100 read:70,write:30; do
  for c in 1 4 16; do
    "$BIN" chunkio bench --dir "$STORE" --chunk $SIZE --ops "$OPS" --concurrency $c --mix $mix --direct \
        2>/dev/null >>"$WORK/bench.jsonl"
  done
done
load=$(cut -d' ' -f1 /proc/loadavg)
cp "$here/chunkio-model.json" "$WORK/model.json"
for mix in w r; do
  case $mix in w) m='{"GET": "0%", "PUT": "100%"}';; r) m='{"GET": "70%", "PUT": "30%"}';; esac
  for c in 1 4 16; do
    # shellcheck disable=SC2086
    "$BIN" run "$WORK/model.json" --quiet --out "$WORK/sim-$mix-$c" --set components.bench.concurrency=$c \
        --set components.disk.channels="$CH" --set "components.disk.access={\"empirical\": \"cal.read-$SIZE.json\"}" \
        --set "components.disk.write={\"empirical\": \"cal.write-$SIZE.json\"}" \
        --set "components.disk.shared_bandwidth=\"${bw}B/s\"" --set "components.bench.size=\"$SIZE\"" \
        --set "components.bench.mix=$m" $EXTRA >/dev/null
  done
done
python3 - "$WORK" "$CH" "$bw" "$load" "$EXTRA" <<'PY'
import json, sys
work, ch, bw, load, extra = sys.argv[1:6]
bench = [json.loads(l) for l in open(work + "/bench.jsonl")]
print(f"1 MiB O_DIRECT; model: access/write = calibrated lone read/write, {ch} channels, "
      f"shared_bandwidth {int(bw) / 1e6:.0f} MB/s {extra}; load average {load}")
d = lambda sim, meas: f"{100 * (sim - meas) / meas:+.0f}%" if meas else "-"
rows = open(work + "/rows.jsonl", "w")
for mix, tag in (("write:100", "w"), ("read:70,write:30", "r")):
    print()
    print(f"mix {mix}")
    print()
    print("| C | op | measured p50 | simulated p50 | diff | measured p99 | simulated p99 | diff "
          "| measured ops/s | simulated ops/s | diff |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for b in bench:
        if (b["read_pct"] > 0) != (tag == "r"):
            continue
        c = b["concurrency"]
        s = json.load(open(f"{work}/sim-{tag}-{c}/summary.json"))
        for op, sop in (("write", "PUT"), ("read", "GET")):
            m = b.get(op)
            if not m or not m.get("count"):
                continue
            sl = s["by_op"][sop]["latency_ms"]
            sp50, sp99, sx = sl["p50"] * 1000, sl["p99"] * 1000, s["by_op"][sop]["throughput_rps"]
            print(f"| {c} | {op} | {m['p50_us']:.0f} us | {sp50:.0f} us | {d(sp50, m['p50_us'])} | {m['p99_us']:.0f} us | "
                  f"{sp99:.0f} us | {d(sp99, m['p99_us'])} | {m['ops_per_s']:.0f} | {sx:.0f} | {d(sx, m['ops_per_s'])} |")
            rows.write(json.dumps({"mix": mix, "c": c, "op": op, "bw": int(bw), "load": float(load),
                                   "m_p50": m["p50_us"], "s_p50": sp50, "m_p99": m["p99_us"], "s_p99": sp99,
                                   "m_x": m["ops_per_s"], "s_x": sx}) + "\n")
PY
