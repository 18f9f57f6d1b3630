# One-off generator for tests/data/runs fixtures (values follow the summary contract of issue 3/6).
import json, os, random, shutil, math
R = os.path.dirname(os.path.abspath(__file__))
def summary(name='photo-cdn', sha='3f1c0a9d5e7b2c4a8f6e1d0b9c7a5e3f2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a', seed=42,
            lat=1.0, thr=1.0, hit=1.0, disk=1.0, failed=12, rng=None, desc='Browser -> DNS -> nearest edge; misses go through a load balancer to the <origin> & its disk'):
    j = (lambda s: 1.0 + rng.gauss(0, s)) if rng else (lambda s: 1.0)
    l = lambda v, s=0.03: round(v * lat * j(s), 4)
    comp = round(5880 * thr * j(0.005))
    issued = 6000
    s = {
      "schema": "cdnsim.summary/1",
      "scenario": {"name": name, "sha256": sha, "description": desc},
      "seed": seed, "sim_s": 60.0, "warmup_s": 10.0, "wall_s": round(0.8 * j(0.1), 3), "events": 412345,
      "events_per_s": round(515431 * j(0.1)), "partial": False,
      "requests": {"issued": issued, "completed": comp, "failed": failed, "timed_out": 3, "rejected": 0},
      "throughput_rps": round(comp / 50.0, 4),
      "latency_ms": {"mean": l(38.2), "p50": l(21.5), "p90": l(88.0), "p99": l(180.4), "p999": l(320.9), "max": l(512.0, 0.1)},
      "by_op": {"GET": {"requests": comp, "latency_ms": {"mean": l(38.2), "p50": l(21.5), "p90": l(88.0), "p99": l(180.4), "p999": l(320.9), "max": l(512.0, 0.1)}}},
      "components": {
        "dns": {"kind": "dns", "region": "us-east", "links": ["edge-us", "edge-eu"], "requests": issued, "utilization": 0.01, "mean_queue": 0.0,
                "latency_ms": {"mean": 0.5, "p50": 0.5, "p90": 0.6, "p99": 0.8, "p999": 1.0, "max": 1.2}},
        "edge-us": {"kind": "cdn_edge", "region": "us-east", "links": ["lb"], "requests": 3600, "utilization": round(0.35 * j(0.02), 4), "mean_queue": round(0.2 * j(0.05), 4),
                "latency_ms": {"mean": l(30.1), "p50": l(18.0), "p90": l(70.0), "p99": l(150.2), "p999": l(300.0), "max": l(480.0, 0.1)},
                "hit_ratio": round(0.82 * hit * j(0.01), 4), "byte_hit_ratio": round(0.74 * hit * j(0.01), 4)},
        "edge-eu": {"kind": "cdn_edge", "region": "eu-west", "links": ["lb"], "requests": 2400, "utilization": round(0.25 * j(0.02), 4), "mean_queue": round(0.1 * j(0.05), 4),
                "latency_ms": {"mean": l(45.3), "p50": l(25.0), "p90": l(100.0), "p99": l(210.7), "p999": l(340.0), "max": l(512.0, 0.1)},
                "hit_ratio": round(0.79 * hit * j(0.01), 4), "byte_hit_ratio": round(0.70 * hit * j(0.01), 4)},
        "lb": {"kind": "lb", "region": "us-east", "links": ["origin"], "requests": 1150, "utilization": 0.05, "mean_queue": 0.0,
                "latency_ms": {"mean": l(60.0), "p50": l(50.0), "p90": l(110.0), "p99": l(190.0), "p999": l(300.0), "max": l(400.0, 0.1)}},
        "origin": {"kind": "origin", "region": "us-east", "links": ["disk-1"], "requests": 1150, "utilization": round(0.4 * disk * j(0.02), 4), "mean_queue": round(0.6 * disk * j(0.05), 4),
                "latency_ms": {"mean": l(55.0), "p50": l(45.0), "p90": l(100.0), "p99": l(180.0), "p999": l(290.0), "max": l(380.0, 0.1)}},
        "disk-1": {"kind": "disk", "region": "us-east", "links": [], "requests": 1150, "utilization": round(0.55 * disk * j(0.02), 4), "mean_queue": round(1.1 * disk * j(0.05), 4),
                "latency_ms": {"mean": round(8.0 * disk * j(0.02), 4), "p50": round(6.0 * disk * j(0.02), 4), "p90": round(14.0 * disk * j(0.02), 4), "p99": round(30.0 * disk * j(0.03), 4), "p999": round(45.0 * disk * j(0.05), 4), "max": round(60.0 * disk * j(0.1), 4)}}
      }
    }
    return s
def write_run(d, s, rng=None, lat=1.0):
    os.makedirs(d, exist_ok=True)
    with open(d + '/summary.json', 'w') as f: json.dump(s, f, indent=2); f.write('\n')
    rng = rng or random.Random(7)
    cols = ['t_s','offered','completed','failed','timed_out','rejected','p50_ms','p99_ms','hit_ratio:edge-us','hit_ratio:edge-eu',
            'util:edge-us','queue:edge-us','util:edge-eu','queue:edge-eu','util:origin','queue:origin','util:disk-1','queue:disk-1']
    with open(d + '/timeseries.csv', 'w') as f:
        f.write(','.join(cols) + '\n')
        for w in range(12):
            t = 10 + 5 * w
            crash = 1 if 30 <= t < 40 else 0
            off = 500 + rng.randint(-20, 20)
            fail = (40 + rng.randint(0, 10)) if crash else rng.randint(0, 2)
            comp = off - fail
            hr = min(0.95, 0.6 + 0.03 * w) * (0.7 if crash else 1)
            f.write(','.join(str(x) for x in [t, off, comp, fail, rng.randint(0, 1) if crash else 0, 0,
                round(21.5 * lat * (1 + rng.gauss(0, .03)), 3), round(180.4 * lat * (1.5 if crash else 1) * (1 + rng.gauss(0, .05)), 3),
                round(hr, 4), round(hr * 0.97, 4), round(0.35 + rng.gauss(0, .01), 4), round(0.2 + abs(rng.gauss(0, .05)), 4),
                round(0.25 + rng.gauss(0, .01), 4), round(0.1 + abs(rng.gauss(0, .03)), 4), round(0.4 + rng.gauss(0, .02), 4), round(0.6 + abs(rng.gauss(0, .1)), 4),
                round(0.55 + rng.gauss(0, .02), 4), round(1.1 + abs(rng.gauss(0, .1)), 4)]) + '\n')
    with open(d + '/latency.csv', 'w') as f:
        f.write('q,latency_ms\n')
        qs = [0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1]
        for q in qs:
            v = 21.5 * lat * (-math.log(1 - min(q, 0.9995)) / math.log(2)) + 0.3
            f.write('%g,%.4f\n' % (q, v))
    with open(d + '/events.csv', 'w') as f:
        f.write('t_s,event,target,detail\n30,crash,edge-us,"node lost, traffic to edge-eu"\n40,recover,edge-us,\n45,slow,disk-1,x2 <slower>\n')
for d in ['base','same','slow','fast','other','bad','base_reps','slow_reps','noisy_reps']: shutil.rmtree(R + '/' + d, ignore_errors=True)
write_run(R + '/base', summary())
write_run(R + '/same', summary(seed=43))
write_run(R + '/slow', summary(lat=1.2, disk=1.2), lat=1.2)
write_run(R + '/fast', summary(lat=0.8, hit=1.05, failed=2), lat=0.8)
write_run(R + '/other', summary(name='video-cdn', sha='0' * 64))
os.makedirs(R + '/bad', exist_ok=True)
with open(R + '/bad/summary.json', 'w') as f: f.write('{\n  "schema": "cdnsim.summary/1",\n  "scenario": {"name": "photo-cdn"\n  "seed": 42\n}\n')
for name, lat, disk, seed in [('base_reps', 1.0, 1.0, 100), ('slow_reps', 1.2, 1.2, 200), ('noisy_reps', 1.0, 1.0, 300)]:
    rng = random.Random(seed)
    for k in range(6):
        l = lat
        if name == 'noisy_reps':
            l = [0.90, 1.35, 1.00, 1.30, 0.95, 1.10][k]   # +10% on average but very noisy
        s = summary(seed=seed + k, lat=l, disk=disk, rng=rng)
        write_run('%s/%s/reps/%d' % (R, name, k), s, random.Random(seed + k), lat=l)
