#!/bin/sh
# A stand-in for `cdnsim run` in tests of app/reps.c: it is called as
#   fake_run.sh run SCENARIO --seed S --out DIR --quiet --no-report [--set P=V]...
# and writes a run directory copied from tests/data/runs/base whose
# latency_ms.p99 is the seed modulo 1000 (its last three digits). A scenario path
# containing "bad" exits 2 (bad input); one containing "fail" fails (exit 1)
# for replication seeds ending in 7.
seed=$4
out=$6
mkdir -p "$out" || exit 1
echo "$@" > "$out/args.txt"
case "$2" in
*bad*) echo "$2:1:1: expected a scenario, found nothing" >&2; exit 2 ;;
*fail*) case "$seed" in *7) echo "model exploded at t=3s" >&2; exit 1 ;; esac ;;
esac
v=$(printf '%s' "$seed" | tail -c 3 | sed 's/^0*//')
[ -n "$v" ] || v=0
sed "s/\"p99\": 180.4,/\"p99\": $v,/" tests/data/runs/base/summary.json > "$out/summary.json"
cp tests/data/runs/base/timeseries.csv tests/data/runs/base/latency.csv tests/data/runs/base/events.csv "$out/"
echo "summary: $out/summary.json"
