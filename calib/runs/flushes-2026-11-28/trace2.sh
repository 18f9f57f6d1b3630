#!/bin/bash
# trace2.sh OUTDIR REPS : block-level traces of the bench at 1, 4 and 16 in flight, both workloads
T=/sys/kernel/tracing; OUT=$1; REPS=${2:-2}; mkdir -p $OUT
echo mono > $T/trace_clock
echo 262144 > $T/buffer_size_kb
for r in $(seq 1 $REPS); do
for c in 1 4 16; do
for m in write:100 read:70,write:30; do
  tag=$(echo $m | tr ':,' '__')-c$c-$r
  echo 0 > $T/tracing_on; echo > $T/trace; echo 0 > $T/events/enable
  for e in block/block_rq_issue block/block_rq_complete ext4/ext4_sync_file_enter ext4/ext4_sync_file_exit jbd2/jbd2_start_commit jbd2/jbd2_end_commit; do echo 1 > $T/events/$e/enable; done
  echo 1 > $T/tracing_on
  /tmp/mcT/cdnsim chunkio bench --dir /work/wstore --chunk 1MiB --ops 4000 --concurrency $c --mix $m --direct --warmup $((4*c)) --seed $((r+300)) > $OUT/$tag.json 2>/dev/null
  echo 0 > $T/tracing_on
  gzip -c $T/trace > $OUT/$tag.trace.gz
  echo 0 > $T/events/enable
done; done; done
echo done
