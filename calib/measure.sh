#!/bin/sh
# calib/measure.sh - the chunkio-vs-fio table of docs/calibration.md.
#
#   calib/measure.sh BIN DIR OUT
#
# For chunk sizes 64 KiB and 1 MiB, buffered and O_DIRECT, reads and writes,
# concurrency 1, 4 and 16: one `cdnsim chunkio bench` run and one fio run
# with the same block size, the same number of threads each doing one
# synchronous operation at a time (fio: ioengine=psync, numjobs=C) and the
# same working set (64 chunks; fio: a file of 64 x bs). fio's writes are
# overwrites of a preallocated file followed by fdatasync (fdatasync=1); a
# chunkio write also creates a file, renames it and fsyncs the directory.
# Buffered fio runs use invalidate=0 so that, like chunkio's working set
# (written just before the measured phase), the file is in the page cache.
# Each line records the 1-minute load average when the run ended (the
# machine is shared). Appends one JSON line per run to OUT. fio is a measuring tool only
# (apt-get install fio), not a dependency of cdnsim.
set -eu
BIN=$1 DIR=$2 OUT=$3
mkdir -p "$DIR"
for size in 64KiB 1MiB; do
  case $size in 64KiB) bs=64k; fsz=4m;; 1MiB) bs=1m; fsz=64m;; esac
  for direct in 0 1; do
    dflag=""; [ $direct = 1 ] && dflag="--direct"
    inval=""; [ $direct = 0 ] && inval="--invalidate=0"
    for op in read write; do
      case $op in read) mix=read:100; ops=4000; rw=randread; extra="";;
                  write) mix=write:100; ops=1500; rw=randwrite; extra="--fdatasync=1";; esac
      for c in 1 4 16; do
        echo "chunkio $op $size direct=$direct c=$c" >&2
        "$BIN" chunkio bench --dir "$DIR/store" --chunk $size --ops $ops --concurrency $c \
            --mix $mix $dflag 2>/dev/null |
          python3 -c 'import json,sys; d=json.load(sys.stdin); d["tool"]="chunkio"; d["op"]=sys.argv[1]; d["load1"]=float(open("/proc/loadavg").read().split()[0]); print(json.dumps(d))' $op >>"$OUT"
        echo "fio $op $size direct=$direct c=$c" >&2
        fio --name=m --filename="$DIR/fio.dat" --size=$fsz --bs=$bs --rw=$rw --direct=$direct \
            --ioengine=psync --numjobs=$c --thread --group_reporting --time_based --runtime=3 \
            --randrepeat=0 $inval $extra --output-format=json 2>/dev/null |
          python3 -c '
import json, sys
d = json.load(sys.stdin)["jobs"][0]
op, size, direct, c = sys.argv[1], sys.argv[2], sys.argv[3] == "1", int(sys.argv[4])
x = d[op]
def pct(lat, p):
    return round(lat.get("percentile", {}).get(p, 0) / 1e3, 1)
r = {"tool": "fio", "op": op, "chunk": size, "direct": direct, "concurrency": c,
     "ops_per_s": round(x["iops"], 1), "mib_per_s": round(x["bw"] / 1024, 1),
     "p50_us": pct(x["clat_ns"], "50.000000"), "p99_us": pct(x["clat_ns"], "99.000000"),
     "p999_us": pct(x["clat_ns"], "99.900000"),
     "load1": float(open("/proc/loadavg").read().split()[0])}
if op == "write":
    s = d["sync"]["lat_ns"]
    r["sync_p50_us"] = pct(s, "50.000000"); r["sync_p99_us"] = pct(s, "99.000000")
print(json.dumps(r))' $op $size $direct $c >>"$OUT"
      done
    done
  done
done
rm -f "$DIR/fio.dat"
