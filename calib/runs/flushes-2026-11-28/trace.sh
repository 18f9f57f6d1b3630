#!/bin/bash
# trace.sh OUTDIR REPS : C=1 mix and writes-alone benches with block+jbd2 tracing
set -e
T=/sys/kernel/tracing; OUT=$1; REPS=${2:-2}; mkdir -p $OUT
echo mono > $T/trace_clock
echo 262144 > $T/buffer_size_kb
for r in $(seq 1 $REPS); do
for m in write:100 read:70,write:30; do
  tag=$(echo $m | tr ':,' '__')-$r
  echo 0 > $T/tracing_on; echo > $T/trace
  echo 0 > $T/events/enable
  for e in block/block_rq_issue block/block_rq_complete jbd2/jbd2_start_commit jbd2/jbd2_end_commit jbd2/jbd2_commit_flushing ext4/ext4_sync_file_enter ext4/ext4_sync_file_exit; do echo 1 > $T/events/$e/enable; done
  echo 1 > $T/tracing_on
  python3 -c 'import time;print(time.clock_gettime_ns(time.CLOCK_MONOTONIC))' > $OUT/$tag.t0
  /tmp/mcT/cdnsim chunkio bench --dir /work/wstore --chunk 1MiB --ops 4000 --concurrency 1 --mix $m --direct --seed $r --latencies $OUT/$tag.csv > $OUT/$tag.json 2>/dev/null
  python3 -c 'import time;print(time.clock_gettime_ns(time.CLOCK_MONOTONIC))' > $OUT/$tag.t1
  echo 0 > $T/tracing_on
  cat $T/trace > $OUT/$tag.trace
  echo 0 > $T/events/enable
done; done
echo done
