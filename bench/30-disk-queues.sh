#!/bin/sh
# bench/30-disk-queues.sh - one disk under deep queues: the wall time of
# calib/chunkio-model.json (a closed-loop bench on one data node whose disk
# has a 1 MiB calibrated read and a bandwidth_curve), 600 s simulated, at 16,
# 256 and 4096 requests in flight, for each transfer_order and for the write
# settings that add work per transfer. Prints a markdown section on stdout.
#
#   bench/30-disk-queues.sh [path/to/cdnsim]      (run from the project root)
#
# Each cell is the best of $BENCH_RUNS runs (default 5, as bench/run.sh) of the
# whole process (start, load, simulate, write the summary; --no-report),
# timed with `date +%s%N` (bench/lib.sh).
set -eu
CDNSIM=${1:-bin/cdnsim}
RUNS=${BENCH_RUNS:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

. bench/lib.sh

# best ARGS...: the best wall time of the model run with ARGS
best() {
    wall_best "$RUNS" "$CDNSIM" run calib/chunkio-model.json -q --no-report --out "$out/r" \
        --set duration=602s --set 'components.disk.bandwidth_curve=[[1,1.6e9],[16,3e9]]' "$@"
}

# row LABEL ARGS...: a table row, the best time at each depth
row() {
    label=$1
    shift
    line="| $label |"
    for c in 16 256 4096; do
        echo "30-disk-queues.sh: $label at $c" >&2
        line="$line $(best --set components.bench.concurrency=$c "$@") |"
    done
    echo "$line"
}

mix='components.bench.mix={"GET": "70%", "PUT": "30%"}'
echo "## One disk under deep queues"
echo
echo "\`calib/chunkio-model.json\` (1 MiB reads drawn from \`calib/vda.read-1MiB.json\`), 600 s simulated"
echo "(\`--set duration=602s\`: its warm-up is 2 s), with \`--set 'components.disk.bandwidth_curve=[[1,1.6e9],[16,3e9]]'\` and"
echo "\`--set components.bench.concurrency=C\` for C = 16, 256 and 4096, plus each row's settings. Wall"
echo "time of the whole process (\`--no-report\`), best of $RUNS runs. The orders' data structures and"
echo "what they cost per transfer are in docs/engine.md; how these rows compared with the code before"
echo "each change, in docs/performance-changes.md. A \`write_weight_curve\` re-weighs the writes in"
echo "progress whenever the number of transfers changes while it lies between the curve's first and last"
echo "points (here 2 and 32), and not outside them."
echo
echo "| settings | 16 | 256 | 4096 |"
echo "|---|---|---|---|"
row "\`transfer_order\` fifo (the model's own)"
row "shared" --set 'components.disk.transfer_order="shared"'
row "elevator, \`device_queue\` 1" --set 'components.disk.transfer_order="elevator"' --set components.disk.device_queue=1
row "rounds (\`round_wake\` 59-89 us, 2 CPUs, \`completion_time\` 8.5-25.5 us)" \
    --set 'components.disk.transfer_order="rounds"' \
    --set 'components.disk.round_wake={"uniform":{"low":"59us","high":"89us"}}' \
    --set components.disk.completion_cpus=2 \
    --set 'components.disk.completion_time={"uniform":{"low":"8.5us","high":"25.5us"}}'
row "shared, a 70/30 mix" --set 'components.disk.transfer_order="shared"' --set "$mix"
row "shared, a 70/30 mix, \`write_share\` 0.5" --set 'components.disk.transfer_order="shared"' --set "$mix" \
    --set components.disk.write_share=0.5
row "shared, a 70/30 mix, \`write_weight_curve\` [[2,0.5],[32,0.3]]" \
    --set 'components.disk.transfer_order="shared"' --set "$mix" \
    --set 'components.disk.write_weight_curve=[[2,0.5],[32,0.3]]'
