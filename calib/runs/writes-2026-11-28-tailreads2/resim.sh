#!/bin/bash
# re-simulate the 56 runs with curvewt following reads; 2 in parallel
cd /work/wt-lead
one() { d=$1; TAIL=1.5 TAIL_FOLLOWS=reads TAIL_BOOST=0.67 RESIM=1 CURVE=2,4,8,16,32 WRITE_SHARE=fit \
  /tmp/mcU/calib/model_check_writes.sh /tmp/mcU/cdnsim /work/wstore $d 16 4000 > /tmp/resim/$(echo $d | tr / _).out 2>&1 || echo "FAIL $d"; echo "$(date +%T) $d"; }
export -f one
xargs -P 2 -I{} bash -c 'one {}' < /tmp/resim/list
echo done $(date +%T)
