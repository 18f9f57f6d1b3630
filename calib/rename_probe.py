#!/usr/bin/env python3
"""calib/rename_probe.py C N DIR cross|same - durable 1 MiB writes by C Python
threads (O_DIRECT create+write, fdatasync, rename, directory fsync), with the
temporary in DIR/tmp/ and renamed into DIR/dK/ ("cross": what chunkio does), or
created in DIR/dK/ itself ("same"). Linux serialises renames between two
directories on one filesystem (lock_rename takes the superblock's
s_vfs_rename_mutex), not renames within one. Prints writes/s, the write
latency p50 / p99 and the mean time in rename. Python threads release the
GIL in these system calls, but the interpreter adds its own waits: compare
the two modes with each other, not with chunkio. docs/calibration.md, "Where a
durable write waits"."""
import mmap
import os
import sys
import threading
import time

C=int(sys.argv[1]); N=int(sys.argv[2]); D=sys.argv[3]; mode=sys.argv[4]
os.makedirs(D+"/tmp", exist_ok=True)
for k in range(64): os.makedirs(f"{D}/d{k}", exist_ok=True)
SZ=1<<20
buf=mmap.mmap(-1, SZ+4096); buf.write(os.urandom(SZ+4096))
lock=threading.Lock(); cnt=[0]; lat=[]; ren=[]
def worker(w):
    while True:
        with lock:
            if cnt[0]>=N: return
            cnt[0]+=1; i=cnt[0]
        k=i%64; final=f"{D}/d{k}/c{k}"
        tmp=f"{D}/tmp/t{w}" if mode=="cross" else f"{D}/d{k}/.t{w}"
        s=time.perf_counter_ns()
        fd=os.open(tmp, os.O_WRONLY|os.O_CREAT|os.O_TRUNC|os.O_DIRECT, 0o644)
        os.pwrite(fd, memoryview(buf)[:SZ+4096], 0); os.fdatasync(fd); os.close(fd)
        a=time.perf_counter_ns()
        os.rename(tmp, final)
        b=time.perf_counter_ns()
        dfd=os.open(f"{D}/d{k}", os.O_RDONLY|os.O_DIRECTORY); os.fsync(dfd); os.close(dfd)
        e=time.perf_counter_ns()
        with lock: lat.append((e-s)/1e3); ren.append((b-a)/1e3)
t0=time.time()
ts=[threading.Thread(target=worker,args=(w,)) for w in range(C)]
[t.start() for t in ts]; [t.join() for t in ts]
el=time.time()-t0
def q(v,p): v=sorted(v); return v[int(p*(len(v)-1))]
print(f"{mode:6s} C={C}: {N/el:.0f} writes/s, p50 {q(lat,.5):.0f} p99 {q(lat,.99):.0f} us, rename mean {sum(ren)/len(ren):.0f} us")
