#!/bin/sh
# bench/che_scenario.sh - Che's approximation through full scenario runs:
# scenarios/validation/che.json (clients -> CDN edge -> origin) for LRU and
# FIFO, Zipf alpha in {0.6, 0.8, 1.0, 1.2} over 100,000 unit-size objects,
# edge caches of 100, 1,000 and 10,000 objects (bytes, at 1 byte each);
# compares the edge's hit_ratio in summary.json with theory
# (bench/che_validation.c theory). Prints a markdown table for
# docs/validation.md. Run from the project root after `make`:
#
#   bench/che_scenario.sh [path/to/cdnsim]
set -eu
CDNSIM=${1:-bin/cdnsim}
BUILD=${BUILD:-build}
CC=${CC:-cc}
dir=$BUILD/bench
mkdir -p "$dir"
che=$dir/che_validation
if [ ! -x "$che" ] || [ bench/che_validation.c -nt "$che" ]; then
    $CC -O2 -std=c11 -D_GNU_SOURCE -I. -Wall -Wextra -Werror bench/che_validation.c "$BUILD/libcdnsim.a" \
        -lgsl -lgslcblas -lm -o "$che"
fi
echo "| alpha | cache | LRU run | Che | difference | FIFO run | FIFO approx. | difference |"
echo "|---|---|---|---|---|---|---|---|"
for alpha in 0.6 0.8 1.0 1.2; do
    for size in 100 1000 10000; do
        set -- $("$che" theory $alpha $size)
        tl=$1 tf=$2
        for policy in lru fifo; do
            "$CDNSIM" run scenarios/validation/che.json --quiet --out "$dir/che-run" \
                --set components.users.zipf=$alpha --set components.edge.cache_size=${size}B \
                --set components.edge.policy=$policy > /dev/null
            h=$(tr -d ' \t' < "$dir/che-run/summary.json" | grep -A30 '"edge":{' | \
                sed -n 's/^"hit_ratio":\([0-9.]*\),*$/\1/p' | head -1)
            eval "h_$policy=$h"
        done
        awk -v a=$alpha -v c=$size -v hl="$h_lru" -v tl=$tl -v hf="$h_fifo" -v tf=$tf \
            'BEGIN { printf "| %s | %d | %.4f | %.4f | %+.4f | %.4f | %.4f | %+.4f |\n", a, c, hl, tl, hl - tl, hf, tf, hf - tf }'
    done
done
