#!/bin/sh
# calib/write_tail_check.sh - where the durable writes' tail comes from. The
# journal model (a constant J, one write at a time) gets the median and the
# throughput of writes alone within 10% but their p99 37-39% short at 4 and 16
# in flight (docs/calibration.md). Two candidate causes, each a disk model:
# the journal's own spread, and slow spells of the whole disk.
#
#   calib/write_tail_check.sh BIN STOREDIR WORKDIR [OPS] [CAL_OPS]
#
# For whole 1 MiB chunks, O_DIRECT, writes alone:
# 1. `cdnsim calibrate --sizes 1MiB --only write --journal 32 --ops CAL_OPS`
#    (default 12000) twice: as is (WORKDIR/a.*: lone writes, the disk's
#    `write`, and the gaps between completions at 32 in flight, whose mean
#    is J) and with --spells (WORKDIR/b.*: the lone writes outside slow
#    spells, and the spells);
# 2. `cdnsim chunkio bench --mix write:100` at concurrency 1, 4 and 16, OPS
#    writes each (default 4000), with --latencies WORKDIR/wC.csv;
# 3. `cdnsim run calib/chunkio-model.json` at the same concurrencies, three
#    models: "const" (a's writes, journal J), "drawn" (a's writes, the
#    journal drawn for each write from a's gaps) and "spells" (b's writes,
#    b's J, and b's spells). With writes alone the shared bandwidth only
#    carries the journal's gate, one write at a time, so its value does not
#    matter (1 GB/s);
# 4. prints measured and simulated p50 / p99 / writes per second, and writes
#    WORKDIR/rows.jsonl, which calib/summarize_checks.py averages over runs.
# With RESIM=1, steps 1-2 are skipped and WORKDIR's measurements are
# simulated again. Run it under `nice -n -20` (root), as model_check.sh.
set -eu
BIN=$1 STORE=$2 WORK=$3 OPS=${4:-4000} CAL_OPS=${5:-12000}
mkdir -p "$WORK" "$STORE"
here=$(cd "$(dirname "$0")" && pwd)
if [ "${RESIM:-0}" != 1 ]; then
  "$BIN" calibrate --dir "$STORE" --out "$WORK/a.json" --sizes 1MiB --only write --journal 32 --ops "$CAL_OPS" \
      >"$WORK/a.txt" 2>/dev/null
  "$BIN" calibrate --dir "$STORE" --out "$WORK/b.json" --sizes 1MiB --only write --journal 32 --ops "$CAL_OPS" \
      --spells >"$WORK/b.txt" 2>/dev/null
  : >"$WORK/bench.jsonl"
  for c in 1 4 16; do
    "$BIN" chunkio bench --dir "$STORE" --chunk 1MiB --ops "$OPS" --concurrency $c --mix write:100 --direct \
        --latencies "$WORK/w$c.csv" 2>/dev/null >>"$WORK/bench.jsonl"
  done
  cut -d' ' -f1 /proc/loadavg >"$WORK/load"
fi
cp "$here/chunkio-model.json" "$WORK/model.json"
# J of each calibration (the mean gap), and b's spells as --set arguments
jus() { python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["_fit"]["mean_ns"] / 1e3, 1))' "$1"; }
ja=$(jus "$WORK/a.journal-1MiB.json") jb=$(jus "$WORK/b.journal-1MiB.json")
spells=$(python3 "$here/spell_sets.py" "$WORK/b.write-1MiB.json")
for model in const drawn spells; do
  case $model in
    const) w=a j="\"${ja}us\"" ;;
    drawn) w=a j='{"empirical": "a.journal-1MiB.json"}' ;;
    spells) w=b j="\"${jb}us\"" ;;
  esac
  set --
  # shellcheck disable=SC2086 # spell_sets.py's arguments hold no spaces
  [ $model = spells ] && set -- $spells
  for c in 1 4 16; do
    "$BIN" run "$WORK/model.json" --quiet --out "$WORK/sim-$model-$c" --set components.bench.concurrency=$c \
        --set components.disk.channels=16 --set "components.disk.write={\"empirical\": \"$w.write-1MiB.json\"}" \
        --set "components.disk.access={\"empirical\": \"$w.write-1MiB.json\"}" \
        --set 'components.disk.shared_bandwidth="1GB/s"' --set 'components.bench.size="1MiB"' \
        --set 'components.bench.mix={"GET": "0%", "PUT": "100%"}' --set "components.disk.journal=$j" "$@" >/dev/null
  done
done
python3 - "$WORK" "$ja" "$jb" <<'PY'
import json, sys
work, ja, jb = sys.argv[1], sys.argv[2], sys.argv[3]
bench = [json.loads(l) for l in open(work + "/bench.jsonl")]
sp = json.load(open(work + "/b.write-1MiB.json"))["_spells"]
print(f"J = {ja} us (a), {jb} us (b); spells (b): {sp['count']}, " +
      (f"every {sp['mean_gap_ns'] / 1e6:.0f} ms, length {sp['mean_length_ns'] / 1e6:.1f} ms, factor {sp['factor']}"
       if sp["count"] else "none") + f"; load {open(work + '/load').read().strip()}")
models = ("const", "drawn", "spells")
print("| C | measured p50 / p99 us, writes/s | " + " | ".join(models) + " |")
print("|---" * (2 + len(models)) + "|")
rows = open(work + "/rows.jsonl", "w")
for b in bench:
    c, m = b["concurrency"], b["write"]
    cells = [f"{m['p50_us']:.0f} / {m['p99_us']:.0f}, {m['ops_per_s']:.0f}"]
    for model in models:
        s = json.load(open(f"{work}/sim-{model}-{c}/summary.json"))["by_op"]["PUT"]
        l = s["latency_ms"]
        sim = {"p50_us": l["p50"] * 1e3, "p99_us": l["p99"] * 1e3, "ops_per_s": s["throughput_rps"]}
        d = {k: (sim[k] - m[k]) / m[k] * 100 for k in sim}
        cells.append(f"{sim['p50_us']:.0f} ({d['p50_us']:+.0f}%) / {sim['p99_us']:.0f} ({d['p99_us']:+.0f}%), "
                     f"{sim['ops_per_s']:.0f} ({d['ops_per_s']:+.0f}%)")
        rows.write(json.dumps({"model": model, "mix": "write:100", "c": c, "op": "write",
                               "m_p50": m["p50_us"], "s_p50": sim["p50_us"], "m_p99": m["p99_us"],
                               "s_p99": sim["p99_us"], "m_x": m["ops_per_s"], "s_x": sim["ops_per_s"]}) + "\n")
    print(f"| {c} | " + " | ".join(cells) + " |")
PY
