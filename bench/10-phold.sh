#!/bin/sh
# bench/10-phold.sh - the PHOLD section of docs/performance.md.
#
# Runs `cdnsim bench phold` at the four sizes of issue 2 and the two bare loops
# of bench/phold_bare.c (a 4-ary heap, and the engine's ladder queue driven
# directly) on the same model and the same random draws; checks that all of
# them count the same events; prints Markdown on stdout. See bench/run.sh for
# the environment (BENCH_RUNS, BUILD, CC).
set -eu
CDNSIM=${1:-bin/cdnsim}
RUNS=${BENCH_RUNS:-5}
BUILD=${BUILD:-build}
BARE=$BUILD/bench/phold_bare

. bench/lib.sh
bench_cc bench/phold_bare.c "$BARE"

# jget KEY JSON: the value of a top-level key of a flat one-line JSON object.
jget() { printf '%s\n' "$2" | sed -n "s/.*\"$1\":\"\{0,1\}\([^,\"}]*\).*/\1/p"; }

# best N CMD...: runs CMD N times; prints "CPU_RATE JSON": the highest
# events per CPU-second of the event loop (events / cpu_s) over the runs, then
# the output line of the run with the highest events_per_s (wall clock).
# While the best run so far spent more than 15% of its wall time off the CPU
# (a busy machine), it keeps trying, up to 3N runs in all.
best() {
    n=$1
    shift
    bestv=-1
    bestc=0
    bestl=
    bestoff=1
    i=0
    while [ "$i" -lt "$n" ] || { [ "$i" -lt $((3 * n)) ] && [ "$bestoff" = 1 ]; }; do
        l=$("$@") || { echo "10-phold.sh: failed: $*" >&2; return 1; }
        v=$(jget events_per_s "$l")
        c=$(awk -v e="$(jget events "$l")" -v s="$(jget cpu_s "$l")" 'BEGIN { print (s > 0 ? e / s : 0) }')
        if awk -v a="$v" -v b="$bestv" 'BEGIN { exit !(a > b) }'; then
            bestv=$v
            bestl=$l
            bestoff=$(awk -v w="$(jget wall_s "$l")" -v c="$(jget cpu_s "$l")" 'BEGIN { print (w > 1.15 * c) ? 1 : 0 }')
        fi
        if awk -v a="$c" -v b="$bestc" 'BEGIN { exit !(a > b) }'; then bestc=$c; fi
        i=$((i + 1))
    done
    printf '%s %s\n' "$bestc" "$bestl"
}

# wall RESULT / cpu RESULT: the two rates of a best() result, in M events/s
wall() { m "$(jget events_per_s "${1#* }")"; }
cpu() { m "${1%% *}"; }

m() { awk -v v="$1" 'BEGIN { printf "%.2f", v / 1e6 }'; }

# N E T, then the issue's reference numbers at that size (M events/s on its
# 2-core VM): ROSS, OMNeT++, ns-3, SimPy, bare heap, bare calendar.
SIZES='8 1 250000 3.6 4.2 3.9 0.74 15.5 11.4
1024 1 2000 2.1 3.1 3.2 0.61 5.8 9.3
16384 16 8 0.37 0.78 1.9 0.18 3.9 6.9
1000000 1 2 0.29 0.46 1.3 0.14 2.1 2.7'

main=$(mktemp)
queue=$(mktemp)
trap 'rm -f "$main" "$queue"' EXIT

echo "$SIZES" | while read -r n e t ross omnet ns3 simpy rheap rcal; do
    echo "10-phold.sh: N=$n E=$e T=$t" >&2
    args="--lps $n --start-events $e --end $t"
    eng=$(best "$RUNS" "$CDNSIM" bench phold $args)
    engh=$(best "$RUNS" "$CDNSIM" bench phold $args --queue heap)
    engl=$(best "$RUNS" "$CDNSIM" bench phold $args --queue ladder)
    bh=$(best "$RUNS" "$BARE" heap "$n" "$e" "$t")
    bl=$(best "$RUNS" "$BARE" ladder "$n" "$e" "$t")
    ev=$(jget events "${eng#* }")
    for x in "$engh" "$engl" "$bh" "$bl"; do
        if [ "$(jget events "${x#* }")" != "$ev" ]; then
            echo "10-phold.sh: event counts differ at N=$n: engine $ev, other run $(jget events "${x#* }")" >&2
            exit 1
        fi
    done
    # ratio of the better bare loop to the engine, by wall clock and by CPU time
    ratios=$(awk -v h="$(jget events_per_s "${bh#* }")" -v l="$(jget events_per_s "${bl#* }")" \
                 -v e="$(jget events_per_s "${eng#* }")" -v hc="${bh%% *}" -v lc="${bl%% *}" -v ec="${eng%% *}" 'BEGIN {
        b = h > l ? h : l; bc = hc > lc ? hc : lc
        printf "%.2f (%.2f)", b / e, bc / ec }')
    sim2=$(awk -v a="$ross" -v b="$omnet" -v c="$ns3" -v d="$simpy" 'BEGIN {
        x = a; if (b > x) x = b; if (c > x) x = c; if (d > x) x = d; printf "%.1f", 2 * x }')
    printf '| %s | %s | %s | %s | %s | **%s** (%s) | %s (%s) | %s (%s) | %s | %s | %s |\n' \
        "$n" "$e" "$t" "$ev" "$(jget pending "${eng#* }")" "$(wall "$eng")" "$(cpu "$eng")" \
        "$(wall "$bh")" "$(cpu "$bh")" "$(wall "$bl")" "$(cpu "$bl")" "$ratios" "$sim2" \
        "$(awk -v e="$(jget events_per_s "${eng#* }")" -v s="$sim2" 'BEGIN { printf "%.2f", e / 1e6 / s }')" >> "$main"
    printf '| %s | %s | %s | %s (%s) | %s (%s) | %s (%s) | %s / %s |\n' "$n" "$e" "$t" \
        "$(wall "$engh")" "$(cpu "$engh")" "$(wall "$engl")" "$(cpu "$engl")" "$(wall "$eng")" "$(cpu "$eng")" \
        "$(jget rebuilds "${engl#* }")" "$(jget spawns "${engl#* }")" >> "$queue"
done

# Where the heap stops being the better bottom: E = 1, about 2 million events.
sweep=$(mktemp)
trap 'rm -f "$main" "$queue" "$sweep"' EXIT
for n in 8 16 32 64 128 256 512 1024 4096 16384 131072; do
    echo "10-phold.sh: sweep N=$n" >&2
    t=$((2000000 / n))
    h=$(best "$RUNS" "$CDNSIM" bench phold --lps "$n" --start-events 1 --end "$t" --queue heap)
    l=$(best "$RUNS" "$CDNSIM" bench phold --lps "$n" --start-events 1 --end "$t" --queue ladder)
    printf '| %s | %s | %s (%s) | %s (%s) |\n' "$n" "$t" "$(wall "$h")" "$(cpu "$h")" "$(wall "$l")" "$(cpu "$l")" >> "$sweep"
done

cat <<EOT
## PHOLD: the engine

\`cdnsim bench phold --lps N --start-events E --end T\` with the defaults R = 0.25, L = 0.1,
M = 1.0, seed 1 (ROSS's PHOLD; one random stream per LP; see \`cdnsim bench phold --help\`).
Rates are millions of events per second of wall-clock time in the event loop (\`wall_s\`; set-up
excluded), best of $RUNS runs (up to $((3 * RUNS)) while the best run still spent more than 15% of its time
off the CPU); in brackets, the best events per CPU-second of the same loop
(\`cpu_s\`), which time spent waiting for a shared CPU does not inflate: when the two disagree much,
the machine was busy and the bracketed figure is the better guide. The bare loops are \`$BARE heap|ladder N E T\` (bench/phold_bare.c): the same model with
the same streams and draws, without the engine; every row's runs counted the same events.

| N | E | T | events | pending | engine | bare 4-ary heap | bare ladder | better bare ÷ engine | issue target | engine (wall) ÷ target |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
EOT
cat "$main"
cat <<EOT

- *better bare ÷ engine*: how many times faster the better bare loop ran (wall; CPU in brackets);
  issue 2 asks for at most 1.5.
- *issue target*: twice the fastest of ROSS, OMNeT++, ns-3 and SimPy at that size as issue 2 reports
  them, **measured on a different 2-core VM**; the simulators were not run here, so *engine ÷ target*
  compares across machines and is indicative only. The bare-loop ratio is the like-for-like one.

## PHOLD: the pending-event set

The engine with each set forced (\`--queue heap\`, \`--queue ladder\`) and the default adaptive set,
which is a heap up to $(sed -n 's/^#define SIM_EVSET_DEFAULT_THRESHOLD \([0-9]*\).*/\1/p' sim/evset.h) pending events and a ladder queue above (M events/s, wall; per CPU-second in brackets):

| N | E | T | heap | ladder | adaptive | ladder rebuilds / spawns |
|---:|---:|---:|---:|---:|---:|---:|
EOT
cat "$queue"
cat <<EOT

Crossover, E = 1 and T = 2,000,000 / N (about two million events each):

| N (pending) | T | heap | ladder |
|---:|---:|---:|---:|
EOT
cat "$sweep"
