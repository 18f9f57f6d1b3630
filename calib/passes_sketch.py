#!/usr/bin/env python3
"""calib/passes_sketch.py L_US S_US C_US [exp|const] - a sketch, not a cdnsim
model: reads at 1, 4 and 16 in flight against a device that works in passes.

The device wakes L us after the first request reaches it while idle, then
serves the queue one request at a time (S us each, exponential or constant),
taking requests that arrive during the pass as well, and releases all the
pass's completions together when it finds the queue empty (one interrupt).
The guest's two CPUs then handle the completions in random order, C us each
(exponential), and each thread sends its next read. Prints reads/s and the
latency's p50, p90 and p99 over its mean, to compare with the measured
shapes in docs/calibration.md ("What remains"). The parameters measured by
calib/queue_probe.py at 64 KiB: 74 39 17.
"""
import heapq, random, sys, math
def q(v,p):
    v=sorted(v); return v[min(len(v)-1,int(p*len(v)))]
# device: wakes L after the first arrival into an idle device; serves FIFO, s each (exp or const);
# completions are held until the queue is empty, then released together (one interrupt);
# guest: 2 CPUs, each completion costs c (exp) before the thread resubmits.
L=float(sys.argv[1]); s=float(sys.argv[2]); c=float(sys.argv[3]); sdist=sys.argv[4] if len(sys.argv)>4 else "exp"
random.seed(1)
def svc(): return random.expovariate(1/s) if sdist=="exp" else s
for C in (1,4,16):
    t=0.0; ev=[]; seq=0
    def push(tm,kind,x):
        global seq; heapq.heappush(ev,(tm,seq,kind,x)); seq+=1
    queue=[]; held=[]; state="idle"; cpu_free=[0.0,0.0]; lat=[]; start={}
    for i in range(C): push(0.0,"arrive",i); start[i]=0.0
    n=0; tend=0
    while n<60000:
        tm,_,kind,x=heapq.heappop(ev)
        if kind=="arrive":
            queue.append(x)
            if state=="idle": state="waking"; push(tm+L,"wake",None)
        elif kind=="wake" or kind=="done":
            if kind=="done": held.append(x)
            if queue:
                state="busy"; y=queue.pop(0); push(tm+svc(),"done",y)
            else:
                # pass ends: release all held completions; guest CPUs handle them in random order
                state="idle"; random.shuffle(held)
                for y in held:
                    k=0 if cpu_free[0]<=cpu_free[1] else 1
                    st=max(tm,cpu_free[k]); fin=st+random.expovariate(1/c) if c>0 else st
                    cpu_free[k]=fin
                    lat.append(fin-start[y]); n+=1; tend=fin
                    start[y]=fin; push(fin,"arrive",y)
                held=[]
    lat=lat[3000:]; m=sum(lat)/len(lat)
    print(f"  C={C}: {len(lat)/(sum(lat)/C)*1e6:.0f} reads/s, p50/mean {q(lat,.5)/m:.2f} p90/mean {q(lat,.9)/m:.2f} p99/mean {q(lat,.99)/m:.2f}, mean {m:.0f} us")
