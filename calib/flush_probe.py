#!/usr/bin/env python3
"""calib/flush_probe.py DIR SECONDS THREADS - cache flushes without data:
THREADS Python threads overwrite 4 KiB of their own file in DIR and
fdatasync it, in a loop, for SECONDS; prints the flushes per second. Run it
beside `cdnsim chunkio bench` reads to see whether the device's flushes slow
the reads (docs/calibration.md, "The mix with spells")."""
import os
import sys
import threading
import time

D=sys.argv[1]; T=float(sys.argv[2]); n=int(sys.argv[3])
os.makedirs(D, exist_ok=True)
stop=time.time()+T; cnt=[0]
def w(i):
    p=f"{D}/f{i}"
    while time.time()<stop:
        fd=os.open(p, os.O_WRONLY|os.O_CREAT, 0o644); os.pwrite(fd, b"x"*4096, 0); os.fdatasync(fd); os.close(fd); cnt[0]+=1
ts=[threading.Thread(target=w,args=(i,)) for i in range(n)]
[t.start() for t in ts]; [t.join() for t in ts]
print("flushes/s", cnt[0]/T)
