#!/bin/sh
# bench/run.sh - `make bench`: runs every bench/NN-*.sh section in order and
# assembles docs/performance.md from their Markdown output.
#
#   bench/run.sh [path/to/cdnsim]
#
# A section script is called as `sh bench/NN-name.sh CDNSIM` from the project
# root; it prints its Markdown section (starting with a "## " heading) on
# stdout and its progress on stderr, and exits non-zero on failure. Sections
# share these environment variables:
#   BENCH_RUNS   runs per measurement, the best is kept (default 5)
#   BUILD        the build directory holding libcdnsim.a (default build)
#   CC           the C compiler for helper programs (default cc)
# The page is written only when every section succeeded.
set -eu
cd "$(dirname "$0")/.."
CDNSIM=${1:-bin/cdnsim}
export BENCH_RUNS=${BENCH_RUNS:-5}
export BUILD=${BUILD:-build}
export CC=${CC:-cc}
[ -x "$CDNSIM" ] || { echo "bench/run.sh: $CDNSIM not found or not executable (run make first)" >&2; exit 1; }

out=$(mktemp)
trap 'rm -f "$out" "$out.sec"' EXIT

model=$(LC_ALL=C lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
cpus=$(nproc 2>/dev/null || echo '?')
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo '?')
l2=$(LC_ALL=C lscpu 2>/dev/null | sed -n 's/^L2 cache:[[:space:]]*//p' | head -1)
l3=$(LC_ALL=C lscpu 2>/dev/null | sed -n 's/^L3 cache:[[:space:]]*//p' | head -1)
virt=$(LC_ALL=C lscpu 2>/dev/null | sed -n 's/^Hypervisor vendor:[[:space:]]*//p' | head -1)
ccv=$($CC --version 2>/dev/null | head -1)
kernel=$(uname -sr)
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
date=$(date -u '+%Y-%m-%d %H:%M UTC')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
# the binary measured is built from the working tree: say so when it is not HEAD
git diff --quiet HEAD -- 2>/dev/null || commit="$commit plus uncommitted changes"

{
    echo "# Performance"
    echo
    echo "Written by \`make bench\` (bench/run.sh) on $date at commit $commit; every number on this"
    echo "page comes from that run. Rerun \`make bench\` to refresh it; bench/README.md says how the"
    echo "benchmarks are built. Comparisons of the code before and after a change meant to make it faster"
    echo "are kept by hand in [performance-changes.md](performance-changes.md)."
    echo
    echo "## Machine"
    echo
    echo "| | |"
    echo "|---|---|"
    echo "| CPU | ${model:-unknown} |"
    echo "| cores (nproc) | $cpus |"
    echo "| caches | L2 ${l2:-?}, L3 ${l3:-?} |"
    echo "| memory | $mem |"
    echo "| virtualisation | ${virt:-none reported} |"
    echo "| kernel | $kernel |"
    echo "| compiler | $ccv |"
    echo "| load average at start | $load |"
    echo
    echo "Each measurement is the best of $BENCH_RUNS runs: the machine may be shared, and"
    echo "interference only ever makes a run slower, so the best run is the closest to what the code"
    echo "can do. Build flags are the Makefile's (\`-O2 -g\`)."
    echo
} > "$out"

for s in bench/[0-9][0-9]-*.sh; do
    [ -e "$s" ] || continue
    echo "bench/run.sh: running $s" >&2
    if ! sh "$s" "$CDNSIM" > "$out.sec"; then
        echo "bench/run.sh: $s failed; docs/performance.md left unchanged" >&2
        exit 1
    fi
    cat "$out.sec" >> "$out"
    echo >> "$out"
done

mkdir -p docs
cp "$out" docs/performance.md
echo "bench/run.sh: wrote docs/performance.md" >&2
