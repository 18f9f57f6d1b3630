#!/bin/bash
# 12 more fresh check runs (U25-U36) with model curvewt following reads, boost 0.67: the
# share of the lone writes above 1.5 x their median, against the read share,
# in calib/runs/flushes-2026-11-28 (calib/tail_boost.py); fixed before these runs
OUT=/work/wt-lead/calib/runs/writes-2026-11-28-tailreads2
for i in $(seq 25 36); do
  echo "run $i $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  TAIL=1.5 TAIL_FOLLOWS=reads TAIL_BOOST=0.67 LONE=0 CURVE_OPS=2000 WARMUP=4 CURVE=2,4,8,16,32 WRITE_SHARE=fit \
    nice -n -20 /tmp/mcU/calib/model_check_writes.sh /tmp/mcU/cdnsim /work/wstore $OUT/U$i 16 4000 > $OUT/U$i.out 2>&1 || echo "FAIL $i"
done
echo "done $(date +%T)"
