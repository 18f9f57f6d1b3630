#!/bin/sh
# calib/model_check.sh - the predicted-vs-measured table of docs/calibration.md.
#
#   calib/model_check.sh BIN STOREDIR WORKDIR SIZE OP CHANNELS [OPS]
#
# 1. `cdnsim calibrate` measures OP (read or write) of SIZE chunks at
#    concurrency 1 (O_DIRECT) and writes WORKDIR/cal.OP-SIZE.json;
# 2. `cdnsim chunkio bench` runs the same operation at concurrency 1, 4, 16;
# 3. `cdnsim run calib/chunkio-model.json` simulates the same closed loop at
#    concurrency 1, 4, 16 with that distribution and CHANNELS disk channels;
# 4. prints one row per concurrency: measured and simulated p50, p99 and
#    throughput, and the relative differences.
# The runs follow each other closely so that the machine's load drifts as
# little as possible between calibration and check.
set -eu
BIN=$1 STORE=$2 WORK=$3 SIZE=$4 OP=$5 CH=$6 OPS=${7:-2000}
mkdir -p "$WORK"
here=$(cd "$(dirname "$0")" && pwd)
mix=read:100; [ "$OP" = write ] && mix=write:100
"$BIN" calibrate --dir "$STORE" --out "$WORK/cal.json" --sizes "$SIZE" --ops "$OPS" >"$WORK/calibrate.txt" 2>/dev/null
: >"$WORK/bench.jsonl"
for c in 1 4 16; do
  "$BIN" chunkio bench --dir "$STORE" --chunk "$SIZE" --ops "$OPS" --concurrency $c --mix $mix --direct \
      2>/dev/null >>"$WORK/bench.jsonl"
done
cp "$here/chunkio-model.json" "$WORK/model.json"
for c in 1 4 16; do
  "$BIN" run "$WORK/model.json" --quiet --out "$WORK/sim-$c" --set components.bench.concurrency=$c \
      --set components.disk.channels=$CH --set "components.disk.access={\"empirical\": \"cal.$OP-$SIZE.json\"}" \
      --set "components.bench.size=\"$SIZE\"" >/dev/null
done
python3 - "$WORK" "$OP" "$SIZE" "$CH" <<'PY'
import json, sys
work, op, size, ch = sys.argv[1:5]
bench = [json.loads(l) for l in open(work + "/bench.jsonl")]
print(f"{op} {size}, O_DIRECT, disk channels {ch}; load average {open('/proc/loadavg').read().split()[0]}")
print("| C | measured p50 | simulated p50 | diff | measured p99 | simulated p99 | diff | measured ops/s | simulated ops/s | diff |")
print("|---|---|---|---|---|---|---|---|---|---|")
for b in bench:
    c = b["concurrency"]
    m = b[op]
    s = json.load(open(f"{work}/sim-{c}/summary.json"))
    sl = s["latency_ms"]
    sp50, sp99, sx = sl["p50"] * 1000, sl["p99"] * 1000, s["throughput_rps"]
    d = lambda sim, meas: f"{100 * (sim - meas) / meas:+.1f}%"
    print(f"| {c} | {m['p50_us']:.0f} us | {sp50:.0f} us | {d(sp50, m['p50_us'])} | {m['p99_us']:.0f} us | "
          f"{sp99:.0f} us | {d(sp99, m['p99_us'])} | {m['ops_per_s']:.0f} | {sx:.0f} | {d(sx, m['ops_per_s'])} |")
PY
