# shellcheck shell=sh
# bench/lib.sh - helpers shared by the bench/NN-*.sh sections (sourced, from
# the project root: `. bench/lib.sh`).

# bench_cc SRC OUT: builds the helper program SRC into OUT (its directory
# created) against $BUILD/libcdnsim.a with $CC (defaults build and cc), with
# the project's warnings as errors.
bench_cc() {
    mkdir -p "$(dirname "$2")"
    ${CC:-cc} -std=c11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -I. -o "$2" "$1" "${BUILD:-build}/libcdnsim.a" \
        -lgsl -lgslcblas -lcjson -lm
}

# wall_best N CMD...: runs CMD (its stdout discarded) N times and prints the
# best wall time as "S.SS s", timed with `date +%s%N`; returns 1, naming the
# command on stderr, if a run fails.
wall_best() {
    wb_n=$1
    shift
    wb_best=
    wb_i=0
    while [ "$wb_i" -lt "$wb_n" ]; do
        wb_t0=$(date +%s%N)
        "$@" >/dev/null || { echo "bench: failed: $*" >&2; return 1; }
        wb_t1=$(date +%s%N)
        wb_t=$(((wb_t1 - wb_t0) / 1000000))
        if [ -z "$wb_best" ] || [ "$wb_t" -lt "$wb_best" ]; then wb_best=$wb_t; fi
        wb_i=$((wb_i + 1))
    done
    awk -v ms="$wb_best" 'BEGIN { printf "%.2f s", ms / 1000 }'
}
