#!/bin/sh
# calib/model_check.sh - the predicted-vs-measured table of docs/calibration.md.
#
#   calib/model_check.sh BIN STOREDIR WORKDIR SIZE CHANNELS [OPS] [BW] [CURVE]
#
# For whole-chunk O_DIRECT reads of SIZE bytes:
# 1. the device's bandwidth under load, the `shared_bandwidth` of the disk
#    model, measured by a separate run that the check does not use: with
#    BW=chunkio (default), `cdnsim chunkio bench` at concurrency 32 (reads/s x
#    (SIZE + 4 KiB), the bytes of chunkio's one read of header and data);
#    with BW=fio, fio's random O_DIRECT reads of SIZE + 4 KiB by 16 threads;
#    with CURVE (concurrencies like 1,2,4,8,16,32), instead a `bandwidth_curve`:
#    `cdnsim chunkio bench` at each of those concurrencies, in separate runs
#    with another seed (--seed 7: other payloads and draws) that the check
#    does not use (CURVE_OPS reads each, from the environment; default OPS),
#    each point [C, reads/s x SIZE] (the device's throughput at
#    queue depth C, counted in the bytes the model moves per read; the
#    model then ignores shared_bandwidth and CHANNELS, see models/disk.c).
#    Without 1 in CURVE (e.g. 2,4,8,16,32) the point at n = 1 is the
#    calibrated lone read's throughput x SIZE (the simulated C=1 run, which
#    the curve does not affect): the model then moves exactly B(n) / SIZE
#    reads/s at n in flight, where a measured B(1) would scale every
#    point by the ratio of two C=1 runs (models/disk.c: work = t x B(1));
# 2. `cdnsim calibrate` measures the reads at concurrency 1 and writes
#    WORKDIR/cal.read-SIZE.json (the disk's `access`: a lone read's time);
# 3. `cdnsim chunkio bench` runs the same reads at concurrency 1, 4 and 16;
# 4. `cdnsim run calib/chunkio-model.json` simulates the same closed loop at
#    concurrency 1, 4 and 16 with that distribution, CHANNELS channels and the
#    measured bandwidth (or curve), transfers taking turns by ORDER;
# 5. prints a markdown table per order: measured and simulated p50, p99 and
#    throughput, with relative differences, and appends the rows to
#    WORKDIR/rows.jsonl (calib/summarize_checks.py averages several runs).
# CURVE_AROUND=1 (with CURVE) measures the curve a second time after step 3,
# in reverse order, and takes the mean of the two runs at each point.
# From the environment: ORDER (the disk's transfer_order: shared, fifo or
# elevator, or several separated by commas, each simulated and tabled;
# default fifo, the model since chunkio's reads are one device request each
# (docs/calibration.md, "One request per read"); the tables from before
# ORDER existed used shared) and DEVICE_QUEUE (the elevator's device_queue: requests the
# device holds; default 1) choose the model; RESIM=1 skips steps 1-3 and
# simulates the measurements already in WORKDIR again (params, curve.jsonl,
# cal*.json, bench.jsonl), to check another model against the same
# measurements.
# ORDER=roundsstall is rounds with round_stall_above at STALL_ABOVE
# (default 2) times the calibrated lone read's median (docs/calibration.md,
# "Slow rounds").
# ORDER=rounds (docs/calibration.md, "Answers in rounds") also takes
# ROUND_WAKE, COMPLETION_TIME (JSON distributions; defaults from
# calib/queue_probe.py's 64 KiB runs: a wake uniform on 59-89 us, an answer's
# CPU uniform on 8.5-25.5 us) and COMPLETION_CPUS (default 2, this machine's
# vCPUs). Under rounds the measured curve cannot be given to the disk as
# it is: its closed loop does not move B(n), since a request's work on the
# device is its lone time less the completion CPU's (which then runs
# beside the device), the device idles while a round gathers and the
# answers queue for the CPUs. The device's curve is therefore fitted to the
# measured one: the model is simulated at each of the curve's
# concurrencies and B(n) multiplied by measured / simulated throughput,
# FIT_ROUNDS times (default 2; WORKDIR/fitted-curve.json). Those are the
# curve's concurrencies and runs, never the check's.
# Steps 2-4 follow each other closely so that the shared machine's load
# drifts as little as possible between calibration and check. Run it under
# `nice -n -20` (root) so that other builds on the machine delay the
# measuring threads less.
set -eu
BIN=$1 STORE=$2 WORK=$3 SIZE=$4 CH=$5 OPS=${6:-2000} BWSRC=${7:-chunkio} CURVE=${8:-}
ORDER=${ORDER:-fifo} DEVQ=${DEVICE_QUEUE:-1}
ROUND_WAKE=${ROUND_WAKE:-'{"uniform": {"low": "59us", "high": "89us"}}'}
COMPLETION_TIME=${COMPLETION_TIME:-'{"uniform": {"low": "8.5us", "high": "25.5us"}}'}
COMPLETION_CPUS=${COMPLETION_CPUS:-2}
curve=
mkdir -p "$WORK"
[ "${RESIM:-0}" = 1 ] || mkdir -p "$STORE" # a re-simulation touches no store
here=$(cd "$(dirname "$0")" && pwd)
bin_size() { case $1 in 64KiB) echo 65536;; 1MiB) echo 1048576;; esac; }
case $SIZE in 64KiB) bs=68k; fsz=4352k;; 1MiB) bs=1028k; fsz=65792k;; *) echo "SIZE is 64KiB or 1MiB" >&2; exit 2;; esac
# measure_curve "C1 C2 ...": one bench run per concurrency, appended to curve.jsonl
measure_curve() {
  for c in $1; do
    "$BIN" chunkio bench --dir "$STORE" --chunk "$SIZE" --ops "${CURVE_OPS:-$OPS}" --concurrency "$c" --mix read:100 --direct \
        --seed 7 2>/dev/null >>"$WORK/curve.jsonl"
  done
}
# read_curve: curve, bw and BWSRC from curve.jsonl (the mean throughput of
# the runs at each concurrency, in increasing concurrency)
read_curve() {
  curve=$(python3 -c 'import json,sys
runs = {}
for l in open(sys.argv[1]):
    p = json.loads(l)
    runs.setdefault(p["concurrency"], []).append(p["read"]["ops_per_s"] * p["chunk"])
print("[" + ", ".join("[%d, %d]" % (c, int(sum(v) / len(v))) for c, v in sorted(runs.items())) + "]")' \
      "$WORK/curve.jsonl")
  bw=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])[-1][1])' "$curve")
  BWSRC="curve $curve"
}
if [ "${RESIM:-0}" = 1 ]; then
  . "$WORK/params"
elif [ "$BWSRC" = fio ]; then
  bw=$(fio --name=bw --filename="$STORE/fio.dat" --size=$fsz --bs=$bs --rw=randread --direct=1 --ioengine=psync \
          --numjobs=16 --thread --group_reporting --time_based --runtime=3 --randrepeat=0 --output-format=json \
          2>/dev/null | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["jobs"][0]["read"]["bw_bytes"]))')
  rm -f "$STORE/fio.dat"
elif [ -n "$CURVE" ]; then
  : >"$WORK/curve.jsonl"
  measure_curve "$(echo "$CURVE" | tr , ' ')"
  read_curve
else
  bw=$("$BIN" chunkio bench --dir "$STORE" --chunk "$SIZE" --ops $((OPS * 2)) --concurrency 32 --mix read:100 --direct \
          2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(int(d["read"]["ops_per_s"] * (d["chunk"] + 4096)))')
fi
if [ "${RESIM:-0}" != 1 ]; then
  "$BIN" calibrate --dir "$STORE" --out "$WORK/cal.json" --sizes "$SIZE" --ops "$OPS" --only read >"$WORK/calibrate.txt" 2>/dev/null
  : >"$WORK/bench.jsonl"
  for c in 1 4 16; do
    "$BIN" chunkio bench --dir "$STORE" --chunk "$SIZE" --ops "$OPS" --concurrency $c --mix read:100 --direct \
        2>/dev/null >>"$WORK/bench.jsonl"
  done
  if [ -n "$CURVE" ] && [ "${CURVE_AROUND:-0}" = 1 ]; then
    # the curve again, in reverse order: each point is the mean of a run
    # before the check and one after it, so a drift of the machine during the
    # check weighs on the curve as it does on the bench
    measure_curve "$(echo "$CURVE" | tr , '\n' | sort -rn | tr '\n' ' ')"
    read_curve
  fi
  printf 'bw=%s\ncurve=%s\nBWSRC=%s\n' "$bw" "'$curve'" "'$BWSRC'" >"$WORK/params"
fi
cp "$here/chunkio-model.json" "$WORK/model.json"
: >"$WORK/rows.jsonl"
# simulate OUT C [CURVE] [--set ...]: the model at concurrency C into OUT
simulate() {
  out=$1 cc=$2 cv=${3:-}
  shift 2; [ $# -gt 0 ] && shift
  set -- "$@" --set components.bench.concurrency=$cc --set components.disk.channels=$CH \
      --set "components.disk.access={\"empirical\": \"cal.read-$SIZE.json\"}" \
      --set "components.disk.shared_bandwidth=\"${bw}B/s\"" --set "components.bench.size=\"$SIZE\"" \
      --set "components.disk.transfer_order=\"${order%stall}\"" --set "components.disk.device_queue=$devq"
  [ -n "$cv" ] && set -- "$@" --set "components.disk.bandwidth_curve=$cv"
  case $order in rounds*) set -- "$@" --set "components.disk.round_wake=$ROUND_WAKE" \
      --set "components.disk.completion_time=$COMPLETION_TIME" --set "components.disk.completion_cpus=$COMPLETION_CPUS";;
  esac
  [ "$order" = roundsstall ] && set -- "$@" --set "components.disk.round_stall_above=\"$(stall_above)ns\""
  "$BIN" run "$WORK/model.json" --quiet --out "$out" "$@" >/dev/null
}
# stall_above: STALL_ABOVE (default 2) x the calibrated lone read's median, in ns
stall_above() {
  python3 -c 'import json,sys; print(int(float(sys.argv[2]) * json.load(open(sys.argv[1]))["_fit"]["p50_ns"]))' \
      "$WORK/cal.read-$SIZE.json" "${STALL_ABOVE:-2}"
}
# fit_rounds_curve: prints the device curve under which the rounds model's
# closed loop moves what curve.jsonl measured at each of its concurrencies
# (the point at 1, the calibrated lone read, is kept)
fit_rounds_curve() {
  fc=$curve
  for _ in $(seq 1 "${FIT_ROUNDS:-2}"); do
    for n in $(python3 -c 'import json,sys; print(" ".join(str(p[0]) for p in json.loads(sys.argv[1]) if p[0] != 1))' "$fc"); do
      simulate "$WORK/fit-$n" "$n" "$fc" --set 'duration="12s"'
    done
    fc=$(python3 - "$WORK" "$fc" "$curve" "$(bin_size "$SIZE")" <<'PY'
import json, sys
work, fc, measured, size = sys.argv[1], json.loads(sys.argv[2]), dict(json.loads(sys.argv[3])), int(sys.argv[4])
out = []
for n, b in fc:
    if n != 1:  # measured bytes/s over simulated reads/s x the chunk
        b = int(b * measured[n] / (json.load(open(f"{work}/fit-{n}/summary.json"))["throughput_rps"] * size))
    out.append([n, b])
print(json.dumps(out))
PY
)
  done
  echo "$fc"
}
fitted=
for order in $(echo "$ORDER" | tr , ' '); do
  devq=$DEVQ fitted=
  [ "$order" = elevator ] || devq=1
  for c in 1 4 16; do
    if [ "$c" != 1 ] && [ -n "$curve" ] && [ "$(echo "$CURVE" | cut -d, -f1)" != 1 ]; then
      # no measured point at 1: B(1) is the calibrated lone read's throughput
      # (the model at C=1, which depends neither on the curve nor on the order) x SIZE
      curve=$(python3 -c 'import json,sys
x = json.load(open(sys.argv[1]))["throughput_rps"]
pts = json.loads(sys.argv[2])
print(json.dumps([[1, int(x * int(sys.argv[3]))]] + [p for p in pts if p[0] != 1]))' \
          "$WORK/sim-$order-1/summary.json" "$curve" "$(bin_size "$SIZE")")
      BWSRC="curve $curve"
    fi
    if [ "${order#rounds}" != "$order" ] && [ "$c" != 1 ] && [ -z "$fitted" ]; then
      fitted=$(fit_rounds_curve)
      echo "$fitted" >"$WORK/fitted-curve.json"
    fi
    [ -z "$fitted" ] || BWSRC="fitted curve $fitted"
    simulate "$WORK/sim-$order-$c" $c "${fitted:-$curve}"
  done
  python3 - "$WORK" "$SIZE" "$CH" "$bw" "$BWSRC" "$order" "$devq" <<'PY'
import json, sys
work, size, ch, bw, bwsrc, order, devq = sys.argv[1:8]
if bwsrc.startswith("fitted curve "):  # rounds: the device's curve, fitted to the measured one
    pts = json.loads(bwsrc[13:])
    bwsrc = "bandwidth_curve fitted to the measured one " + ", ".join(f"{n}: {b / 1e6:.0f}" for n, b in pts) + " MB/s"
    bw = str(pts[-1][1])
elif bwsrc.startswith("curve "):
    pts = json.loads(bwsrc[6:])
    bwsrc = "bandwidth_curve " + ", ".join(f"{n}: {b / 1e6:.0f}" for n, b in pts) + " MB/s; shared_bandwidth and channels unused"
    bw = str(pts[-1][1])
bench = [json.loads(l) for l in open(work + "/bench.jsonl")]
load = float(open('/proc/loadavg').read().split()[0])
print(f"read {size}, O_DIRECT; model: access = calibrated lone read, {ch} channels, "
      f"shared_bandwidth {int(bw) / 1e6:.0f} MB/s ({bwsrc}); transfer_order {order}, device_queue {devq}; "
      f"load average {load}")
print()
print("| C | measured p50 | simulated p50 | diff | measured p99 | simulated p99 | diff | measured reads/s | simulated reads/s | diff |")
print("|---|---|---|---|---|---|---|---|---|---|")
with open(work + "/rows.jsonl", "a") as rows:
    for b in bench:
        c = b["concurrency"]
        m = b["read"]
        s = json.load(open(f"{work}/sim-{order}-{c}/summary.json"))
        sl = s["latency_ms"]
        sp50, sp99, sx = sl["p50"] * 1000, sl["p99"] * 1000, s["throughput_rps"]
        d = lambda sim, meas: f"{100 * (sim - meas) / meas:+.0f}%"
        print(f"| {c} | {m['p50_us']:.0f} us | {sp50:.0f} us | {d(sp50, m['p50_us'])} | {m['p99_us']:.0f} us | "
              f"{sp99:.0f} us | {d(sp99, m['p99_us'])} | {m['ops_per_s']:.0f} | {sx:.0f} | {d(sx, m['ops_per_s'])} |")
        rows.write(json.dumps({"model": order, "mix": "read " + size, "c": c, "op": "read",
                               "m_p50": m["p50_us"], "s_p50": sp50, "m_p99": m["p99_us"], "s_p99": sp99,
                               "m_x": m["ops_per_s"], "s_x": sx, "bw": int(bw), "load": load}) + "\n")
PY
  echo
done
