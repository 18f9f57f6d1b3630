#!/bin/bash
# 12 more fresh check runs (T13-T24) with model curvewt following reads (boost 0.53 from calib/runs/flushes-2026-11-28)
OUT=/work/wt-lead/calib/runs/writes-2026-11-28-tailreads
for i in $(seq 13 24); do
  echo "run $i $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  TAIL=1.5 TAIL_FOLLOWS=reads TAIL_BOOST=0.53 LONE=0 CURVE_OPS=2000 WARMUP=4 CURVE=2,4,8,16,32 WRITE_SHARE=fit \
    nice -n -20 /tmp/mcB/calib/model_check_writes.sh /tmp/mcB/cdnsim /work/wstore $OUT/T$i 16 4000 > $OUT/T$i.out 2>&1 || echo "FAIL $i"
done
echo "done $(date +%T)"
