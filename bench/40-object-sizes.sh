#!/bin/sh
# bench/40-object-sizes.sh - what a client's object sizes cost: the time of
# one size (bench/quantile_cost.c, built against $BUILD/libcdnsim.a) for a
# lognormal and gamma distributions of several shapes, and the demo's wall
# time with each kind of `size`. Prints a markdown section on stdout.
#
#   bench/40-object-sizes.sh [path/to/cdnsim]      (run from the project root)
#
# The demo rows are the best of $BENCH_RUNS runs (default 5, as bench/run.sh)
# of the whole process (--no-report), timed with `date +%s%N` (bench/lib.sh).
set -eu
CDNSIM=${1:-bin/cdnsim}
RUNS=${BENCH_RUNS:-5}
BUILD=${BUILD:-build}
QC=$BUILD/bench/quantile_cost
. bench/lib.sh
bench_cc bench/quantile_cost.c "$QC"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "40-object-sizes.sh: quantile costs" >&2
costs=$("$QC" 300000 0.1 0.5 2 10 100)
ns() { printf '%s\n' "$costs" | sed -n "s/^$1 //p"; }

# best SIZE: the best wall time of the demo with that `size`
best() {
    wall_best "$RUNS" "$CDNSIM" run scenarios/demo.json -q --no-report --out "$out/r" --set "defaults.client.size=$1"
}

echo "## Object sizes"
echo
echo "A client fixes each object's size as the \`size\` distribution's quantile at a hash of the object"
echo "id, once per request (docs/models.md, client). Time per size, best of 3 passes over object ids 1 to"
echo "300,000 (\`$QC 300000 0.1 0.5 2 10 100\`, bench/quantile_cost.c; mean 500 KB each):"
echo
echo "| distribution | ns per size |"
echo "|---|---|"
echo "| lognormal (mean 500 KB, p99 4 MB) | $(ns lognormal) |"
for k in 0.1 0.5 2 10 100; do echo "| gamma, shape $k | $(ns "gamma($k)") |"; done
echo
echo "A gamma's quantile is an iterative inversion, so a client whose \`size\` is a gamma keeps the sizes"
echo "it computed in a memo of 65536 slots (\`models/client.c\`, \`object_size\`): a popular object's size is"
echo "computed once. \`scenarios/demo.json\` (300 s simulated, about 810,000 requests over 200,000 objects,"
echo "Zipf 0.9) with \`--set 'defaults.client.size=SIZE'\`, wall time of the whole process (\`--no-report\`),"
echo "best of $RUNS runs:"
echo
echo "| SIZE | wall time |"
echo "|---|---|"
for sz in '{"lognormal": {"mean": "500KiB", "p99": "4MiB"}}' '{"gamma": {"shape": 2, "scale": "250KiB"}}' \
    '{"gamma": {"shape": 0.5, "scale": "1000KiB"}}'; do
    echo "40-object-sizes.sh: demo with $sz" >&2
    echo "| \`$sz\` | $(best "$sz") |"
done
