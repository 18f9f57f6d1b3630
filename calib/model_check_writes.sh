#!/bin/sh
# shellcheck disable=SC2046 # $(wu C) expands to zero or two arguments on purpose
# calib/model_check_writes.sh - issue 7's check for writes: does the model of
# the chunk store predict its durable writes, alone and mixed with reads?
#
#   calib/model_check_writes.sh BIN STOREDIR WORKDIR CHANNELS [OPS]
#
# For whole 1 MiB chunks, O_DIRECT (the sibling of calib/model_check.sh,
# which does reads):
# 1. the device's bandwidth under load B (the disk's `shared_bandwidth`):
#    `cdnsim chunkio bench` reads at concurrency 32, reads/s x (1 MiB + 4 KiB);
#    and the journal time J (the disk's `journal`): durable writes at
#    concurrency 32, J = 1 / writes/s; and the disk's `write_weight` (reads
#    go first): a 70/30 mix at concurrency 32 is measured and simulated with
#    weights 4, 2, 1.5, 1, 0.5, ..., 0.001 (and B, J and the
#    calibration of step 2), keeping the weight whose ratio of mean write to
#    mean read latency is closest to the measured one. None of these runs is
#    used by the check;
# 2. `cdnsim calibrate --sizes 1MiB` measures reads and durable writes at
#    concurrency 1: WORKDIR/cal.read-1MiB.json and cal.write-1MiB.json, the
#    disk's `access` and `write`;
# 3. `cdnsim chunkio bench --mix write:100` and `--mix read:70,write:30` at
#    concurrency 1, 4 and 16 (OPS operations each, default 1000);
# 4. `cdnsim run calib/chunkio-model.json` with the same mix and concurrency,
#    the two calibrated distributions, CHANNELS channels and B, three times:
#    model "plain" (no journal, equal sharing), "journal" (journal J) and
#    "weighted" (journal J and the write_weight of step 1);
# 5. prints a markdown table per mix: measured and simulated p50, p99 of
#    reads and writes and throughput, with relative differences, and writes
#    WORKDIR/rows.jsonl (one line per point) for averaging over runs.
#    With TAIL (below) it also writes the disk of model curvewt, the model of
#    the check, per mix: WORKDIR/disk-curvewt-w.json and disk-curvewt-r.json.
# With RESIM=1 in the environment, steps 1-3 are skipped and the
# measurements already in WORKDIR (params, mix32.json, cal*.json,
# bench.jsonl) are simulated again: to re-check a changed model against the
# same measurements.
# SPELLS=1 adds a fourth model, "spells": `cdnsim calibrate --only write
# --spells` (SPELL_OPS lone writes, default 12000) gives the lone writes
# outside slow spells (WORKDIR/sp.write-1MiB.json, the disk's `write`) and
# the spells (its spell_every, spell_length, spell_factor), with journal J;
# docs/calibration.md, "Slow spells".
# CURVE=2,4,8,16,32 (concurrencies) adds a fifth model, "curve": the disk's
# bandwidth_curve instead of shared_bandwidth and journal, one curve per mix
# measured by separate `chunkio bench` runs at those concurrencies (--seed
# 7, CURVE_OPS operations each, default 2 x OPS; WORKDIR/curve-w.jsonl and
# curve-r.jsonl), once before step 2 and once after step 3 in reverse
# order, each point [C, operations/s x 1 MiB] (the mean of the two runs)
# and the point at 1 the calibrated lone
# time's (the mix's mean of the lone read and write means), and in the mix
# a write_weight fitted like "weighted"'s (at 32 in flight, to mix32.json's
# ratio of mean write to mean read latency); docs/calibration.md, "A curve
# for writes". And a sixth, "curvew": the same curves, and in the mix a
# write_weight_curve, one point [C, w] per curve concurrency C, w fitted
# the same way at C to the curve runs' ratio at C (mix32.json's at 32);
# "A weight that depends on the queue".
# WARMUP=K in the environment gives every bench run at concurrency C a
# warm-up of K x C operations that are not measured (`chunkio bench
# --warmup`, and `cdnsim calibrate --warmup K` for the lone series): the workers all start at once, and in a 1000-operation run at
# 16 in flight that start is enough of the slowest 1% to set the p99,
# while the simulation discards its first 2 s (docs/calibration.md, "The
# bench's start").
# CAL_OPS (default OPS) is the number of lone reads and lone writes of the
# calibration (step 2): their tails become the model's, and 1000 leave the
# p99.9 to a single slow write. SETTLE=S runs `sync` and waits S seconds
# before the calibration, which otherwise follows the curve's heaviest
# runs at once.
# With CURVE, model "curvews" is "curvew" whose disk lets only WRITE_SHARE
# (default 0.5) of the writes at the disk transfer at once, the others
# waiting in arrival order (the disk's write_share; its write_weight_curve
# fitted with it); docs/calibration.md, "Writes that take turns".
# WRITE_SHARE=fit chooses the share from the curve runs instead: of 1,
# 0.875, ..., 0.25, the one whose simulated writes alone at the curve's
# concurrencies have p99s closest to those the curve runs measured
# (smallest sum of squared log ratios); "A share from the curve runs".
# TAIL=X (with CURVE) adds model "curvewt": "curvews" whose disk draws the
# lone writes above X times their median (the disk's write_tail_above) in
# proportion to its recent throughput, so that a mix, which moves more
# bytes per write, meets more slow flushes; its share (WRITE_SHARE, or
# fitted into WORKDIR/fittshare<C>-<f>) and weights are fitted with the
# tail; docs/calibration.md, "A tail that follows the throughput".
# TAIL_FOLLOWS=reads makes that tail follow the reads' share of the bytes
# instead, (1 + TAIL_BOOST x that share) times as frequent (the disk's
# write_tail_follows and write_tail_read_boost; TAIL_BOOST default 0.5).
# The model of the check (docs/calibration.md, "The boost by the model's
# own tail") is curvewt with TAIL=1.5 TAIL_FOLLOWS=reads TAIL_BOOST=0.67
# (b from calib/tail_boost.py on calib/runs/flushes-2026-11-28).
# LONE=1 (with CURVE) adds a seventh model, "lone": "curvew" with the lone
# operations taken not from the calibration (reads alone, writes alone) but
# from `chunkio bench` of the same workload at 1 in flight (CAL_OPS
# operations, --seed 7, WORKDIR/lone-w.json and lone-r.json; their
# latencies become lone-w.write.json, lone-r.read.json and
# lone-r.write.json through calib/lone_empirical.py); docs/calibration.md,
# "Lone times from the workload itself". With LONE=1 and CURVE also
# "lonews": "curvews" (its share and weights) with those lone operations.
# With CURVE and SPELLS=1, an eighth model, "curvesp": "curvew" whose lone
# writes are those outside slow spells (sp.write-1MiB.json) and whose disk
# has the spells, so that the slowest lone writes are shared slowdowns of
# the whole disk rather than single writes stretched by the queue;
# docs/calibration.md, "Spells on the curve".
# EXTRA in the environment is added to every simulation's arguments (e.g.
# EXTRA='--set components.disk.write_data=true' with RESIM=1: a model
# variant against saved measurements; no spaces inside an argument).
# ORDER in the environment (default shared) is the disk's transfer_order for
# every simulation (docs/calibration.md: fifo fits reads alone); with another
# order than shared, write_weight stays 1 and "weighted" is "journal".
# Run it under `nice -n -20` (root) so that other builds delay the measuring
# threads less; the disk and its journal are shared all the same.
set -eu
BIN=$1 STORE=$2 WORK=$3 CH=$4 OPS=${5:-1000}
ORDER=${ORDER:-shared}
SIZE=1MiB
mkdir -p "$WORK"
[ "${RESIM:-0}" = 1 ] || mkdir -p "$STORE" # a re-simulation touches no store
here=$(cd "$(dirname "$0")" && pwd)
# wu C: the bench's warm-up at concurrency C, WARMUP operations per worker
# (default 0: none), as arguments
wu() { if [ "${WARMUP:-0}" -gt 0 ]; then echo "--warmup $((WARMUP * $1))"; fi; }
if [ "${RESIM:-0}" = 1 ]; then
  . "$WORK/params"
else
bw=$("$BIN" chunkio bench --dir "$STORE" --chunk $SIZE --ops $((OPS * 2)) --concurrency 32 --mix read:100 --direct $(wu 32) \
        2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(int(d["read"]["ops_per_s"] * (d["chunk"] + 4096)))')
jus=$("$BIN" chunkio bench --dir "$STORE" --chunk $SIZE --ops "$OPS" --concurrency 32 --mix write:100 --direct $(wu 32) \
        2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(int(1e6 / d["write"]["ops_per_s"]))')
"$BIN" chunkio bench --dir "$STORE" --chunk $SIZE --ops $((OPS * 2)) --concurrency 32 --mix read:70,write:30 --direct $(wu 32) \
    2>/dev/null >"$WORK/mix32.json"
# measure_curve "C1 C2 ...": one bench run per mix and concurrency, appended to curve-w/r.jsonl
measure_curve() {
  for c in $1; do
    for mix in w r; do
      case $mix in w) m=write:100;; r) m=read:70,write:30;; esac
      "$BIN" chunkio bench --dir "$STORE" --chunk $SIZE --ops "${CURVE_OPS:-$((OPS * 2))}" --concurrency "$c" \
          --mix "$m" --direct --seed 7 $(wu "$c") 2>/dev/null >>"$WORK/curve-$mix.jsonl"
    done
  done
}
if [ -n "${CURVE:-}" ]; then
  : >"$WORK/curve-w.jsonl"
  : >"$WORK/curve-r.jsonl"
  measure_curve "$(echo "$CURVE" | tr , ' ')"
fi
if [ "${SETTLE:-0}" -gt 0 ]; then sync; sleep "$SETTLE"; fi
"$BIN" calibrate --dir "$STORE" --out "$WORK/cal.json" --sizes $SIZE --ops "${CAL_OPS:-$OPS}" $(wu 1) \
    >"$WORK/calibrate.txt" 2>/dev/null
if [ "${SPELLS:-0}" = 1 ]; then
  "$BIN" calibrate --dir "$STORE" --out "$WORK/sp.json" --sizes $SIZE --only write --spells --ops "${SPELL_OPS:-12000}" $(wu 1) \
      >"$WORK/spells.txt" 2>/dev/null
fi
if [ "${LONE:-0}" = 1 ]; then
  for mix in w r; do
    case $mix in w) m=write:100;; r) m=read:70,write:30;; esac
    "$BIN" chunkio bench --dir "$STORE" --chunk $SIZE --ops "${CAL_OPS:-$OPS}" --concurrency 1 --mix $m --direct \
        --seed 7 $(wu 1) --latencies "$WORK/lone-$mix.csv" 2>/dev/null >"$WORK/lone-$mix.json"
    python3 "$here/lone_empirical.py" "$WORK/lone-$mix.csv" write "$WORK/lone-$mix.write.json"
  done
  python3 "$here/lone_empirical.py" "$WORK/lone-r.csv" read "$WORK/lone-r.read.json"
  rm -f "$WORK/lone-w.csv" "$WORK/lone-r.csv"
fi
: >"$WORK/bench.jsonl"
for mix in write:100 read:70,write:30; do
  for c in 1 4 16; do
    "$BIN" chunkio bench --dir "$STORE" --chunk $SIZE --ops "$OPS" --concurrency $c --mix $mix --direct $(wu $c) \
        2>/dev/null >>"$WORK/bench.jsonl"
  done
done
[ -n "${CURVE:-}" ] && measure_curve "$(echo "$CURVE" | tr , '\n' | sort -rn | tr '\n' ' ')"
load=$(cut -d' ' -f1 /proc/loadavg)
printf 'bw=%s\njus=%s\nload=%s\n' "$bw" "$jus" "$load" >"$WORK/params"
fi
cp "$here/chunkio-model.json" "$WORK/model.json"
common() { # CONCURRENCY MIX JOURNAL WEIGHT OUT [WRITE_FILE [--set ...]]; the access file is $af
  wf=${6:-cal.write-$SIZE.json}
  c1=$1 m1=$2 j1=$3 w1=$4 o1=$5
  shift 5; [ $# -gt 0 ] && shift
  # shellcheck disable=SC2086 # EXTRA is split into arguments on purpose
  "$BIN" run "$WORK/model.json" --quiet --out "$o1" --set components.bench.concurrency="$c1" \
      --set components.disk.channels="$CH" --set "components.disk.access={\"empirical\": \"${af:-cal.read-$SIZE.json}\"}" \
      --set "components.disk.write={\"empirical\": \"$wf\"}" \
      --set "components.disk.shared_bandwidth=\"${bw}B/s\"" --set "components.bench.size=\"$SIZE\"" \
      --set "components.bench.mix=$m1" --set components.disk.journal=\"$j1\" --set components.disk.write_weight="$w1" \
      --set "components.disk.transfer_order=\"$ORDER\"" ${EXTRA:-} "$@" >/dev/null
}
weights="4 2 1.5 1 0.5 0.25 0.1 0.05 0.02 0.01 0.005 0.002 0.001"
[ "$ORDER" = shared ] || weights=1 # a weight shares bandwidth: one at a time, there is nothing to share
for w in $weights; do
  common 32 '{"GET": "70%", "PUT": "30%"}' "${jus}us" $w "$WORK/fit-$w"
done
# best_weight PREFIX C W...: the weight whose simulation WORK/PREFIX-W has the
# ratio of mean write to mean read latency closest to the measured one at
# concurrency C: mix32.json's at 32, else the mean of the curve runs' at C
best_weight() {
  python3 - "$WORK" "$@" <<'PY'
import json, math, sys
work, prefix, c = sys.argv[1], sys.argv[2], int(sys.argv[3])
ratio = lambda m: m["write"]["mean_us"] / m["read"]["mean_us"]
if c == 32:
    target = ratio(json.load(open(work + "/mix32.json")))
else:
    rs = [ratio(b) for b in map(json.loads, open(work + "/curve-r.jsonl")) if b["concurrency"] == c]
    target = sum(rs) / len(rs)
best = None
for w in sys.argv[4:]:
    b = json.load(open(f"{work}/{prefix}-{w}/summary.json"))["by_op"]
    r = b["PUT"]["latency_ms"]["mean"] / b["GET"]["latency_ms"]["mean"]
    e = abs(math.log(r / target))
    if best is None or e < best[0]:
        best = (e, w)
print(best[1])
PY
}
# shellcheck disable=SC2086 # weights hold no spaces
ww=$(best_weight fit 32 $weights)
# curve_of w|r [READ_FILE WRITE_FILE]: the mix's bandwidth_curve as JSON (see
# CURVE above); the lone times' means from the two files (default: the
# calibration's)
curve_of() {
  python3 - "$WORK" "$1" "${2:-cal.read-$SIZE.json}" "${3:-cal.write-$SIZE.json}" <<'PY'
import json, sys
work, mix, rf, wf = sys.argv[1:5]
size = 1 << 20
mean = lambda f: json.load(open(f"{work}/{f}"))["_fit"]["mean_ns"] / 1e9
reads = 0.7 if mix == "r" else 0.0
lone = reads * mean(rf) + (1 - reads) * mean(wf)
pts = {1: [size / lone]}
for l in open(f"{work}/curve-{mix}.jsonl"):
    b = json.loads(l)
    pts.setdefault(b["concurrency"], []).append(b["ops_per_s"] * size)
print(json.dumps([[n, f"{sum(v) / len(v):.0f}B/s"] for n, v in sorted(pts.items())], separators=(",", ":")))
PY
}
models="plain journal weighted"
cww=1
if [ -f "$WORK/curve-r.jsonl" ]; then
  cweights="1 0.8 0.6 0.5 0.45 0.4 0.35 0.3 0.25 0.2 0.15 0.1 0.05"
  crv=$(curve_of r)
  for w in $cweights; do
    common 32 '{"GET": "70%", "PUT": "30%"}' 0s $w "$WORK/fitc-$w" "" --set "components.disk.bandwidth_curve=$crv"
  done
  # shellcheck disable=SC2086 # weights hold no spaces
  cww=$(best_weight fitc 32 $cweights)
  # the curve runs' concurrencies, in increasing order
  curve_cs=$(python3 -c 'import json, sys; print(" ".join(sorted({str(json.loads(l)["concurrency"]) for l in open(sys.argv[1])}, key=int)))' "$WORK/curve-r.jsonl")
  # weight_curve PREFIX [--set ...]: a write_weight_curve, one point [C, w]
  # per curve concurrency C, w fitted at C (best_weight) with those settings
  # added; the fits go to WORK/PREFIX<C>-<w>
  weight_curve() {
    prefix=$1
    shift
    pts=""
    for c in $curve_cs; do
      for w in $cweights; do
        common "$c" '{"GET": "70%", "PUT": "30%"}' 0s $w "$WORK/$prefix$c-$w" "" --set "components.disk.bandwidth_curve=$crv" "$@"
      done
      # shellcheck disable=SC2086 # weights hold no spaces
      pts="$pts${pts:+,}[$c,$(best_weight "$prefix$c" "$c" $cweights)]"
    done
    echo "[$pts]"
  }
  # fit_share PREFIX [--set ...]: WRITE_SHARE=fit's share, with those
  # settings added: the share whose simulated writes alone, at the curve
  # runs' concurrencies, have p99s closest to those runs' (each C's mean
  # over its runs; the sum over C of the squared log ratios, by
  # pooled_share.py on this run alone). The curve runs are calibration, not
  # the check; the fits go to WORK/PREFIX<C>-<f>
  shares="1 0.875 0.75 0.625 0.5 0.375 0.25"
  fit_share() {
    prefix=$1
    shift
    wcrv=$(curve_of w)
    for f in $shares; do
      for c in $curve_cs; do
        common "$c" '{"GET": "0%", "PUT": "100%"}' 0s 1 "$WORK/$prefix$c-$f" "" \
            --set "components.disk.bandwidth_curve=$wcrv" --set "components.disk.write_share=$f" "$@"
      done
    done
    python3 "$here/pooled_share.py" --prefix "$prefix" "$WORK" | sed -n 's/^best: //p'
  }
  # model curvew: a weight per curve concurrency, each fitted there
  wcurve=$(weight_curve fitw)
  # model curvews: the same, with write_share, its weights fitted with it
  share=${WRITE_SHARE:-0.5}
  if [ "$share" = fit ]; then
    share=$(fit_share fitshare)
    [ -n "$share" ] || { echo "$0: no write_share fitted in $WORK" >&2; exit 1; }
  fi
  ws="--set components.disk.write_share=$share"
  # shellcheck disable=SC2086 # $ws is two arguments
  wscurve=$(weight_curve fitws $ws)
  models="$models curve curvew curvews"
  if [ -n "${TAIL:-}" ]; then
    # model curvewt: curvews whose writes' tail, the lone writes above TAIL x
    # their median, follows the device's throughput (the disk's
    # write_tail_above); its share and weights fitted with it as curvews'
    tailns=$(python3 -c 'import json, sys; print(int(float(sys.argv[2]) * json.load(open(sys.argv[1]))["_fit"]["p50_ns"]))' \
        "$WORK/cal.write-$SIZE.json" "$TAIL")
    # shellcheck disable=SC2089 # the quotes are the JSON string's: passed on literally, as meant
    tl="--set components.disk.write_tail_above=\"${tailns}ns\""
    if [ "${TAIL_FOLLOWS:-throughput}" = reads ]; then
      # shellcheck disable=SC2089 # as above
      tl="$tl --set components.disk.write_tail_follows=\"reads\" --set components.disk.write_tail_read_boost=${TAIL_BOOST:-0.5}"
    fi
    tshare=${WRITE_SHARE:-0.5}
    if [ "$tshare" = fit ]; then
      # shellcheck disable=SC2086,SC2090 # $tl is two or more arguments, its quotes literal
      tshare=$(fit_share fittshare $tl)
      [ -n "$tshare" ] || { echo "$0: no write_share fitted for curvewt in $WORK" >&2; exit 1; }
    fi
    wts="--set components.disk.write_share=$tshare"
    # shellcheck disable=SC2086,SC2090 # $wts and $tl are two arguments each, $tl's quotes literal
    wtcurve=$(weight_curve fitwt $wts $tl)
    models="$models curvewt"
  fi
  [ -f "$WORK/lone-r.read.json" ] && models="$models lone lonews"
  [ -f "$WORK/sp.write-$SIZE.json" ] && models="$models curvesp"
fi
spellset=""
if [ -f "$WORK/sp.write-$SIZE.json" ]; then
  models="$models spells"
  spellset=$(python3 "$here/spell_sets.py" "$WORK/sp.write-$SIZE.json")
fi
for model in $models; do
for mix in w r; do
  case $mix in w) m='{"GET": "0%", "PUT": "100%"}';; r) m='{"GET": "70%", "PUT": "30%"}';; esac
  for c in 1 4 16; do
    # the mix the bench ran: its 1000 operations are not exactly 70/30 (the
    # same draws every run, e.g. 737 reads and 263 writes at C=1)
    [ $mix = r ] && m=$(python3 - "$WORK" $c <<'PY'
import json, sys
for l in open(sys.argv[1] + "/bench.jsonl"):
    b = json.loads(l)
    if b["read_pct"] > 0 and b["concurrency"] == int(sys.argv[2]):
        r, w = b["read"]["count"], b["write"]["count"]
        g = round(100 * r / (r + w), 2)  # the PUT share is the rest, so the two sum to exactly 100%
        print(json.dumps({"GET": f"{g:.2f}%", "PUT": f"{100 - g:.2f}%"}))
PY
)
    j=0s w=1
    [ $model != plain ] && j=${jus}us
    [ $model = weighted ] && w=$ww
    if [ $model = curve ]; then
      [ $mix = r ] && w=$cww
      common $c "$m" 0s $w "$WORK/sim-$model-$mix-$c" "" --set "components.disk.bandwidth_curve=$(curve_of $mix)"
    elif [ $model = curvew ]; then
      common $c "$m" 0s 1 "$WORK/sim-$model-$mix-$c" "" --set "components.disk.bandwidth_curve=$(curve_of $mix)" \
          --set "components.disk.write_weight_curve=$wcurve"
    elif [ $model = curvews ]; then
      # shellcheck disable=SC2086 # $ws is two arguments
      common $c "$m" 0s 1 "$WORK/sim-$model-$mix-$c" "" --set "components.disk.bandwidth_curve=$(curve_of $mix)" \
          --set "components.disk.write_weight_curve=$wscurve" $ws
    elif [ $model = curvewt ]; then
      # shellcheck disable=SC2086,SC2090 # $wts and $tl are two arguments each, $tl's quotes literal
      common $c "$m" 0s 1 "$WORK/sim-$model-$mix-$c" "" --set "components.disk.bandwidth_curve=$(curve_of $mix)" \
          --set "components.disk.write_weight_curve=$wtcurve" $wts $tl
    elif [ "$model" = lone ] || [ "$model" = lonews ]; then
      lr=lone-r.read.json lw=lone-$mix.write.json
      af=$lr
      if [ "$model" = lone ]; then
        common $c "$m" 0s 1 "$WORK/sim-$model-$mix-$c" $lw \
            --set "components.disk.bandwidth_curve=$(curve_of $mix $lr $lw)" --set "components.disk.write_weight_curve=$wcurve"
      else
        # shellcheck disable=SC2086 # $ws is two arguments
        common $c "$m" 0s 1 "$WORK/sim-$model-$mix-$c" $lw \
            --set "components.disk.bandwidth_curve=$(curve_of $mix $lr $lw)" --set "components.disk.write_weight_curve=$wscurve" $ws
      fi
      af=
    elif [ $model = curvesp ]; then
      # shellcheck disable=SC2086 # spell_sets.py's arguments hold no spaces
      common $c "$m" 0s 1 "$WORK/sim-$model-$mix-$c" "sp.write-$SIZE.json" $spellset \
          --set "components.disk.bandwidth_curve=$(curve_of $mix cal.read-$SIZE.json sp.write-$SIZE.json)" \
          --set "components.disk.write_weight_curve=$wcurve"
    elif [ $model = spells ]; then
      # shellcheck disable=SC2086 # spell_sets.py's arguments hold no spaces
      common $c "$m" $j $w "$WORK/sim-$model-$mix-$c" "sp.write-$SIZE.json" $spellset
    else
      common $c "$m" $j $w "$WORK/sim-$model-$mix-$c"
    fi
  done
done
done
if [ -n "${tailns:-}" ]; then
  # curvewt's disk for each mix, as simulated above, ready for a scenario:
  # WORK/disk-curvewt-w.json (writes alone) and disk-curvewt-r.json (the
  # 70/30 mix); its two empirical files are named relative to WORK, so a
  # scenario there can use it as it is (EXTRA is not in it)
  for mix in w r; do
    python3 - "$WORK/disk-curvewt-$mix.json" "$CH" "$SIZE" "$bw" "$ORDER" "$(curve_of $mix)" "$wtcurve" "$tshare" \
        "$tailns" "${TAIL_FOLLOWS:-throughput}" "${TAIL_BOOST:-0.5}" <<'PY'
import json, sys
out, ch, size, bw, order, curve, wtcurve, share, tailns, follows, boost = sys.argv[1:12]
disk = {"kind": "disk", "channels": int(ch), "access": {"empirical": f"cal.read-{size}.json"},
        "write": {"empirical": f"cal.write-{size}.json"}, "shared_bandwidth": f"{bw}B/s",
        "transfer_order": order, "journal": "0s", "write_weight": 1, "bandwidth_curve": json.loads(curve),
        "write_weight_curve": json.loads(wtcurve), "write_share": float(share),
        "write_tail_above": f"{tailns}ns", "write_tail_follows": follows}
if follows == "reads":
    disk["write_tail_read_boost"] = float(boost)
with open(out, "w") as f:
    f.write(json.dumps(disk) + "\n")
PY
  done
fi
python3 - "$WORK" "$CH" "$bw" "$load" "$jus" "$ww" "$ORDER" "$cww" "${wcurve:-}" "${wscurve:-}" "${share:-0.5}" \
    "${wtcurve:-}" "${tshare:-}" "${tailns:-}" <<'PY'
import json, os, sys
work, ch, bw, load, jus, ww, order, cww, wcurve, wscurve, wshare, wtcurve, tshare, tailns = sys.argv[1:15]
bench = [json.loads(l) for l in open(work + "/bench.jsonl")]
print(f"1 MiB O_DIRECT; model: access/write = calibrated lone read/write, {ch} channels, "
      f"shared_bandwidth {int(bw) / 1e6:.0f} MB/s; journal {jus} us (models journal, weighted) or none "
      f"(plain); write_weight {ww} (weighted) or 1; transfer_order {order}; load average {load}"
      + (f"; model curve: bandwidth_curve per mix, no journal, write_weight {cww} in the mix; model curvew: "
         f"the same with write_weight_curve {wcurve}" if os.path.exists(f"{work}/sim-curve-w-1") else "")
      + (f"; model curvews: write_share {wshare}, write_weight_curve {wscurve}"
         if os.path.exists(f"{work}/sim-curvews-w-1") else "")
      + (f"; model curvewt: write_share {tshare}, write_weight_curve {wtcurve}, write_tail_above {tailns} ns"
         + (f", follows reads, boost {os.environ.get('TAIL_BOOST', '0.5')}" if os.environ.get("TAIL_FOLLOWS") == "reads" else "")
         if tailns else ""))
d = lambda sim, meas: f"{100 * (sim - meas) / meas:+.0f}%" if meas else "-"
rows = open(work + "/rows.jsonl", "w")
models = ("plain", "journal", "weighted") + tuple(m for m in ("spells", "curve", "curvew", "curvews", "curvewt", "lone", "lonews", "curvesp")
                                                 if os.path.exists(f"{work}/sim-{m}-w-1"))
for model, mix, tag in ((mo, mi, t) for mo in models for mi, t in (("write:100", "w"), ("read:70,write:30", "r"))):
    print()
    print(f"model {model}, mix {mix}")
    print()
    print("| C | op | measured p50 | simulated p50 | diff | measured p99 | simulated p99 | diff "
          "| measured ops/s | simulated ops/s | diff |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for b in bench:
        if (b["read_pct"] > 0) != (tag == "r"):
            continue
        c = b["concurrency"]
        s = json.load(open(f"{work}/sim-{model}-{tag}-{c}/summary.json"))
        for op, sop in (("write", "PUT"), ("read", "GET")):
            m = b.get(op)
            if not m or not m.get("count"):
                continue
            sl = s["by_op"][sop]["latency_ms"]
            sp50, sp99, sx = sl["p50"] * 1000, sl["p99"] * 1000, s["by_op"][sop]["throughput_rps"]
            print(f"| {c} | {op} | {m['p50_us']:.0f} us | {sp50:.0f} us | {d(sp50, m['p50_us'])} | {m['p99_us']:.0f} us | "
                  f"{sp99:.0f} us | {d(sp99, m['p99_us'])} | {m['ops_per_s']:.0f} | {sx:.0f} | {d(sx, m['ops_per_s'])} |")
            rows.write(json.dumps({"model": model, "mix": mix, "journal_us": int(jus), "write_weight": float((cww if tag == "r" else 1) if model == "curve" else 1 if model in ("curvew", "curvews", "curvewt", "lone", "lonews", "curvesp") else ww),
                                   **({"write_weight_curve": json.loads(wcurve)} if model in ("curvew", "lone", "curvesp") else {}),
                                   **({"write_weight_curve": json.loads(wscurve), "write_share": float(wshare)} if model in ("curvews", "lonews") else {}),
                                   **({"write_weight_curve": json.loads(wtcurve), "write_share": float(tshare), "write_tail_above_ns": int(tailns),
                                       "write_tail_follows": os.environ.get("TAIL_FOLLOWS", "throughput"),
                                       **({"write_tail_read_boost": float(os.environ.get("TAIL_BOOST", "0.5"))} if os.environ.get("TAIL_FOLLOWS") == "reads" else {})}
                                      if model == "curvewt" else {}), "c": c, "op": op, "bw": int(bw), "load": float(load),
                                   "m_p50": m["p50_us"], "s_p50": sp50, "m_p99": m["p99_us"], "s_p99": sp99,
                                   "m_x": m["ops_per_s"], "s_x": sx}) + "\n")
PY
