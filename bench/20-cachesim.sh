#!/bin/sh
# bench/20-cachesim.sh - cachesim speed: LRU and FIFO on a 10-million-request
# Zipf trace (alpha 1.0, N = 100,000, unit sizes) read from an oracleGeneral
# file, cache 1,000 and 10,000 objects. Prints a markdown section on stdout.
#
#   bench/20-cachesim.sh [path/to/cdnsim]      (run from the project root)
#
# The trace is generated once under $BUILD/bench/ (default build/) by
# bench/gen_zipf_trace.c, compiled here against $BUILD/libcdnsim.a.
# Each row is one process per run; requests/s is the best of $BENCH_RUNS runs
# (default 5, as bench/run.sh) and includes reading and parsing the file;
# peak memory is the largest maximum resident set size that /usr/bin/time
# reported over the runs (left blank when /usr/bin/time is missing).
set -eu
CDNSIM=${1:-bin/cdnsim}
BUILD=${BUILD:-build}
RUNS=${BENCH_RUNS:-5}
dir=$BUILD/bench
gen=$dir/gen_zipf_trace
trace=$dir/zipf-a1.0-n100000-r10M.oracleGeneral
mkdir -p "$dir"
. bench/lib.sh
if [ ! -x "$gen" ] || [ bench/gen_zipf_trace.c -nt "$gen" ]; then
    bench_cc bench/gen_zipf_trace.c "$gen"
fi
if [ ! -s "$trace" ]; then
    echo "bench/20-cachesim.sh: generating $trace" >&2
    "$gen" 100000 1.0 10000000 1 "$trace.tmp" && mv "$trace.tmp" "$trace"
fi

field() { # field NAME JSON-LINE
    printf '%s\n' "$2" | sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p"
}

echo "## Cache simulator (cachesim)"
echo
echo "Trace: 10,000,000 requests, Zipf alpha 1.0 over 100,000 objects, unit sizes, libCacheSim"
echo "oracleGeneral format (240 MB), written by \`bench/gen_zipf_trace 100000 1.0 10000000 1\` into"
echo "\`$dir/\`. Command per row:"
echo
echo "    $CDNSIM cachesim --trace $trace --policy P --cache-size S --ignore-size"
echo
echo "One process per run, the trace read from the page cache; requests/s counts reading and parsing"
echo "the file too; best of $RUNS runs, all runs listed; peak memory is the largest maximum resident set"
echo "size over the runs (\`/usr/bin/time\`), the 4 MiB read buffer included. Requests per CPU second"
echo "divide by the process's own CPU time (user + system), which other jobs on a shared machine do not"
echo "inflate: when it is far above requests/s, the runs were waiting for a core. For reference, the issue"
echo "reports libCacheSim's cachesim at 7.7 M (LRU) and 9.9 M (FIFO) requests/s on such a trace on a"
echo "2-core machine (not measured here)."
echo
echo "| policy | cache (objects) | miss ratio | requests/s (best) | all runs (M/s) | requests per CPU s (best) | peak memory (MiB) |"
echo "|---|---|---|---|---|---|---|"
for policy in lru fifo; do
    for size in 1000 10000; do
        rates=""
        cpus=""
        rss=""
        line=""
        i=0
        while [ $i -lt "$RUNS" ]; do
            if [ -x /usr/bin/time ]; then
                line=$(/usr/bin/time -f "%M" -o "$dir/time.txt" "$CDNSIM" cachesim --trace "$trace" --policy $policy \
                    --cache-size $size --ignore-size)
                r=$(cat "$dir/time.txt")
                if [ -z "$rss" ] || [ "$r" -gt "$rss" ]; then rss=$r; fi
            else
                line=$("$CDNSIM" cachesim --trace "$trace" --policy $policy --cache-size $size --ignore-size)
            fi
            rates="$rates $(field requests_per_s "$line")"
            cpus="$cpus $(field requests_per_cpu_s "$line")"
            i=$((i + 1))
        done
        echo "bench/20-cachesim.sh: $policy $size:$rates" >&2
        best=$(printf '%s\n' $rates | sort -n | tail -1)
        bestcpu=$(printf '%s\n' $cpus | sort -n | tail -1)
        all=$(printf '%s\n' $rates | awk '{printf "%s%.1f", (NR>1?", ":""), $1/1e6}')
        mib=""
        [ -n "$rss" ] && mib=$(awk -v k="$rss" 'BEGIN {printf "%.1f", k/1024}')
        printf '| %s | %s | %s | %.1f M | %s | %.1f M | %s |\n' $policy $size "$(field miss_ratio "$line")" \
            "$(awk -v r="$best" 'BEGIN {print r/1e6}')" "$all" "$(awk -v r="$bestcpu" 'BEGIN {print r/1e6}')" "$mib"
    done
done
