#!/bin/bash
OUT=$1; N=$2; mkdir -p $OUT
for r in $(seq 1 $N); do
for m in write:100 read:50,write:50 read:70,write:30 read:90,write:10; do
  tag=$(echo $m | tr ':,' '__')-$r
  /tmp/mcT/cdnsim chunkio bench --dir /work/wstore --chunk 1MiB --ops 4000 --concurrency 1 --mix $m --direct --warmup 4 --seed $((r+200)) --latencies $OUT/$tag.csv > $OUT/$tag.json 2>/dev/null
done; done
echo done
