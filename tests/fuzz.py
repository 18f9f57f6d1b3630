#!/usr/bin/env python3
"""tests/fuzz.py BIN [--seed S] [-n N] [TARGET...] - feeds cdnsim damaged input and
reports any run that crashes instead of refusing it.

BIN is a cdnsim binary, best the sanitizer build (`make check-asan` leaves one
in build-asan/bin/cdnsim): then a memory error, a leak or undefined behaviour
counts as a crash too. TARGETs (default: all):

  scenario  `cdnsim run` on the shipped scenarios with 1 to 4 random edits each
            (a key removed, a value replaced by an odd one: negative, huge,
            NaN, empty, a wrong type, a broken distribution, ...), one time in
            ten with the JSON text itself damaged; 0.5 to 2 s simulated
  compare   `cdnsim compare` of a real run against a damaged copy of its
            summary.json, both ways, in each output format
  report    `cdnsim report` on a run directory whose summary.json and CSVs have
            lines and cells replaced, removed or added, or a file missing
  cachesim  `cdnsim cachesim` on a damaged copy of the first 400 lines of
            ../shared/traces/webcachesim_test.csv, with odd sizes and options
  empirical `cdnsim run` of a small disk scenario whose `access` is a damaged
            copy of calib/vda.read-1MiB.json (what `cdnsim calibrate` writes):
            quantile pairs replaced, removed, reordered, made odd

A run passes when it exits 0, 1, 2 or 3 (ok, failed, bad usage, regression)
and its stderr has no sanitizer report; anything else is printed, the input
kept under the work directory, and the exit code is 1. Seeded: the same
--seed and -n give the same inputs. `make fuzz` runs it on the sanitizer
build with 500 per target (about half a minute), and CI runs that; it is
not part of `make test`. N defaults to 200 per target here.
"""
import argparse
import copy
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODD = [0, -1, 1e308, -1e308, "", "x", "-5ms", "1e400", None, [], {}, [1, 2], {"exp": "-1"},
       {"empirical": "/nonexistent"}, "100%", "-3%", 1e-300, 2 ** 63, "0s",
       {"lognormal": {"mean": "0ms", "p99": "1ms"}}, {"pareto": {"alpha": 0.1, "min": "1ms"}},
       {"uniform": {"low": "5ms", "high": "1ms"}}, "NaN", True, "1/s", "0/s", {"const": "1ms"},
       [[1, "1GB/s"], [0, "2GB/s"]]]
JUNK = ["", ",", ",,,,", "nan", "-1", "1e999", "\x00", "\"", "x" * 3000, "9" * 40, "-", "a,b,c", "1,2",
        "1,2,3,4,5,6", "#c", "18446744073709551616"]
TARGETS = ["scenario", "compare", "report", "cachesim", "empirical"]
ENV = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=1", UBSAN_OPTIONS="print_stacktrace=1")


def mutate(o):
    """One random edit somewhere inside the JSON value o."""
    if isinstance(o, dict) and o:
        k = random.choice(sorted(o.keys()))
        r = random.random()
        if r < 0.15:
            del o[k]
        elif r < 0.55:
            o[k] = copy.deepcopy(random.choice(ODD))
        elif r < 0.7:
            o[k + "_x"] = copy.deepcopy(random.choice(ODD))
        else:
            mutate(o[k])
    elif isinstance(o, list) and o:
        i = random.randrange(len(o))
        r = random.random()
        if r < 0.2:
            del o[i]
        elif r < 0.4:
            o.append(copy.deepcopy(random.choice(ODD)))
        elif r < 0.6:
            o[i] = copy.deepcopy(random.choice(ODD))
        else:
            mutate(o[i])


def damage_text(txt):
    i = random.randrange(len(txt))
    return txt[:i] + random.choice(["", "{", "]", "\"", ",", "\x00", "9e999"]) + txt[i + 1:]


def damage_lines(txt, edits):
    lines = txt.split("\n")
    for _ in range(edits):
        if not lines:
            break
        i = random.randrange(len(lines))
        op = random.random()
        if op < 0.3:
            lines[i] = random.choice(JUNK)
        elif op < 0.5:
            del lines[i]
        elif op < 0.7:
            lines.insert(i, random.choice(JUNK))
        else:
            cells = lines[i].split(",")
            cells[random.randrange(len(cells))] = random.choice(JUNK)
            lines[i] = ",".join(cells)
    return "\n".join(lines)


class Fuzz:
    def __init__(self, binary, work):
        self.bin, self.work, self.crashes = binary, work, 0

    def check(self, args, keep, cwd=ROOT):
        try:
            r = subprocess.run([self.bin] + args, capture_output=True, text=True, timeout=120, cwd=cwd, env=ENV)
            bad = r.returncode not in (0, 1, 2, 3) or any(
                s in r.stderr for s in ("AddressSanitizer", "LeakSanitizer", "runtime error"))
            why = f"exit {r.returncode}: {r.stderr[-600:]}"
        except subprocess.TimeoutExpired:
            bad, why = True, "no answer in 120 s"
        if bad:
            self.crashes += 1
            dst = os.path.join(self.work, f"crash{self.crashes}")
            shutil.copytree(keep, dst) if os.path.isdir(keep) else shutil.copy(keep, dst)
            print(f"CRASH {' '.join(args)} (input kept as {dst}): {why}")

    def scenario(self, n):
        srcs = sorted(glob.glob(f"{ROOT}/scenarios/*.json") + glob.glob(f"{ROOT}/scenarios/*/*.json"))
        path = os.path.join(self.work, "scenario.json")
        for _ in range(n):
            d = json.load(open(random.choice(srcs)))
            for _ in range(random.randint(1, 4)):
                mutate(d)
            d["duration"] = random.choice(["0.5s", "1s", "2s"])
            if random.random() < 0.5:
                d.pop("warmup", None)
            txt = json.dumps(d)
            if random.random() < 0.1:
                txt = damage_text(txt)
            open(path, "w").write(txt)
            self.check(["run", path, "--quiet", "--out", os.path.join(self.work, "out")], path)

    def base_run(self):
        base = os.path.join(self.work, "base")
        if not os.path.exists(os.path.join(base, "summary.json")):
            subprocess.run([self.bin, "run", "scenarios/faults/edge-outage.json", "--quiet", "--out", base, "--set",
                            "duration=\"20s\""], cwd=ROOT, check=True, capture_output=True, env=ENV)
        return base

    def compare(self, n):
        base = self.base_run()
        orig = json.load(open(os.path.join(base, "summary.json")))
        cand = os.path.join(self.work, "cand")
        os.makedirs(cand, exist_ok=True)
        for _ in range(n):
            d = copy.deepcopy(orig)
            for _ in range(random.randint(1, 6)):
                mutate(d)
            txt = json.dumps(d)
            if random.random() < 0.15:
                txt = damage_text(txt)
            open(os.path.join(cand, "summary.json"), "w").write(txt)
            args = ["compare", base, cand] if random.random() < 0.5 else ["compare", cand, base]
            args += random.choice([[], ["--format", "json"], ["--format", "markdown"], ["--allow-different"],
                                   ["--only-changes"]])
            self.check(args, cand)

    def report(self, n):
        base = self.base_run()
        files = {f: open(os.path.join(base, f)).read() for f in ("summary.json", "timeseries.csv", "events.csv",
                                                                  "latency.csv") if os.path.exists(os.path.join(base, f))}
        d = os.path.join(self.work, "rep")
        for _ in range(n):
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            for f, txt in files.items():
                if random.random() < 0.1:
                    continue
                if f != "summary.json" or random.random() < 0.3:
                    txt = damage_lines(txt, random.randint(0, 8))
                open(os.path.join(d, f), "w").write(txt)
            self.check(["report", d, "--quiet"], d)

    def empirical(self, n):
        orig = json.load(open(os.path.join(ROOT, "calib", "vda.read-1MiB.json")))
        emp = os.path.join(self.work, "emp.json")
        scen = os.path.join(self.work, "emp-scenario.json")
        json.dump({"name": "fuzz-empirical", "duration": "1s", "regions": {"r": {}},
                   "components": [
                       {"id": "c", "kind": "client", "region": "r", "mode": "closed", "to": "dn"},
                       {"id": "dn", "kind": "datanode", "region": "r", "disks": "d"},
                       {"id": "d", "kind": "disk", "region": "r", "access": {"empirical": "emp.json"}}]},
                  open(scen, "w"))
        for _ in range(n):
            d = copy.deepcopy(orig)
            q = d.get("quantiles", [])
            for _ in range(random.randint(1, 5)):
                r = random.random()
                if r < 0.5 and q:
                    i = random.randrange(len(q))
                    if random.random() < 0.5 or not isinstance(q[i], list) or len(q[i]) < 2:
                        q[i] = copy.deepcopy(random.choice(ODD))
                    else:
                        q[i][random.randrange(2)] = copy.deepcopy(random.choice(ODD))
                elif r < 0.7 and len(q) > 1:
                    i, j = random.randrange(len(q)), random.randrange(len(q))
                    q[i], q[j] = q[j], q[i]
                else:
                    mutate(d)
            txt = json.dumps(d)
            if random.random() < 0.1:
                txt = damage_text(txt)
            open(emp, "w").write(txt)
            self.check(["run", scen, "--quiet", "--out", os.path.join(self.work, "out")], emp)

    def cachesim(self, n):
        src = os.path.join(ROOT, "..", "shared", "traces", "webcachesim_test.csv")
        if not os.path.exists(src):
            print(f"cachesim: {src} is missing, skipped")
            return
        head = "\n".join(open(src).read().split("\n")[:400])
        path = os.path.join(self.work, "trace.csv")
        for _ in range(n):
            open(path, "w").write(damage_lines(head, random.randint(1, 10)))
            args = ["cachesim", "--trace", path, "--policy",
                    random.choice(["lru", "fifo", "lfu", "sieve", "s3fifo", "clock", "lru,fifo,sieve"]),
                    "--cache-size", random.choice(["100", "1000B", "0", "1", "10MiB", "-5", "x"])]
            args += random.choice([[], ["--ttl", "10"], ["--admit-size", "100"], ["--admit-prob", "0.5"],
                                   ["--columns", "1,2,3"], ["--columns", "9,9,9"], ["--ttl", "-1"]])
            self.check(args, path)


def main():
    ap = argparse.ArgumentParser(description="feeds cdnsim damaged input (see the module's docstring)")
    ap.add_argument("bin")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-n", type=int, default=200, help="inputs per target")
    ap.add_argument("targets", nargs="*", default=TARGETS)
    a = ap.parse_intermixed_args()
    random.seed(a.seed)
    work = tempfile.mkdtemp(prefix="cdnsim-fuzz-")
    f = Fuzz(os.path.abspath(a.bin), work)
    for t in a.targets:
        if t not in TARGETS:
            ap.error(f"unknown target {t}")
        before = f.crashes
        getattr(f, t)(a.n)
        print(f"{t}: {a.n} inputs, {f.crashes - before} crashes")
    if f.crashes:
        print(f"inputs kept in {work}")
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
