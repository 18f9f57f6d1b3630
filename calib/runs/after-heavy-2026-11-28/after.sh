#!/bin/sh
# does a heavy write run just before slow the mix's lone writes? A: at once, B: after sync + 5 s
B=${BIN:-bin/cdnsim}; S=${STORE:-/work/wstore}; O=${OUT:-calib/runs/after-heavy-2026-11-28}; mkdir -p $O
p99() { python3 -c "import json,sys; d=json.load(open('$1')); w=d['write']; r=d['read']; print('$2', 'w p50 %.0f p99 %.0f | r p50 %.0f p99 %.0f'%(w['p50_us'],w['p99_us'],r['p50_us'],r['p99_us']))"; }
for i in 1 2 3 4 5; do
  for mode in A B; do
    $B chunkio bench --dir $S --chunk 1MiB --ops 4000 --concurrency 16 --mix write:100 --direct --warmup 64 >/dev/null 2>&1
    [ $mode = B ] && { sync; sleep 5; }
    $B chunkio bench --dir $S --chunk 1MiB --ops 4000 --concurrency 1 --mix read:70,write:30 --direct --warmup 4 \
        --latencies $O/$mode$i.csv 2>/dev/null > $O/$mode$i.json
    p99 $O/$mode$i.json "$mode$i"
  done
done
