#!/usr/bin/env python3
"""Where slow requests come from (bench/http-hello-tail.sh). Reads lat.c's record of every request (send time
and latency, CLOCK_MONOTONIC ns), merges slow requests whose lifetimes overlap into episodes, and for each
episode says what held the server's core: a JVM safepoint (from -Xlog:safepoint with the timenanos
decorator), else the thread other than the I/O worker that ran longest on CPU 0 during it (from
`perf sched record -k CLOCK_MONOTONIC`), marked "own" when it is a thread of the server's process, and
whether the load generator's CPU 1 was taken by other processes meanwhile. "Ran longest" can blame a
thread that only filled the I/O thread's idle gaps (while it waited for the client): read the counts as
suspects, and confirm a cause by an A/B of the fix (bench/http-ab.sh ALTERNATE=1).
Usage: slow-episodes.py lat.bin threshold-us [--safepoints log] [--sched perf-script.txt --worker tid --own tids-file]"""
import argparse, array, bisect, collections, re

ap = argparse.ArgumentParser()
ap.add_argument('lat'); ap.add_argument('threshold_us', type=float)
ap.add_argument('--safepoints'); ap.add_argument('--sched'); ap.add_argument('--worker'); ap.add_argument('--own')
a = ap.parse_args()
d = array.array('Q'); d.frombytes(open(a.lat, 'rb').read())
sent, lat = d[0::2], d[1::2]
n = len(lat)
s = sorted(lat)
pct = lambda p: s[min(n - 1, int(n * p))] / 1e3
span = (sent[-1] - sent[0]) / 1e9
print(f"{n} requests in {span:.1f} s ({n / span:.0f}/s): p50 {pct(.5):.0f} us, p90 {pct(.9):.0f}, p99 {pct(.99):.0f}, "
      f"p99.9 {pct(.999):.0f}, max {s[-1] / 1e3:.0f}")
thr = a.threshold_us * 1e3
eps = []
for x, y in sorted((sent[i], sent[i] + lat[i]) for i in range(n) if lat[i] >= thr):
    if eps and x <= eps[-1][1]:
        eps[-1][1] = max(eps[-1][1], y); eps[-1][2] += 1
    else:
        eps.append([x, y, 1])
slow = sum(e[2] for e in eps)
print(f"requests >= {a.threshold_us:.0f} us: {slow} ({100 * slow / n:.2f}%) in {len(eps)} episodes ({len(eps) / span:.1f}/s, "
      f"{slow / max(1, len(eps)):.0f} requests each)")

safepoints = []  # (start, end, name)
if a.safepoints:
    for line in open(a.safepoints):
        m = re.match(r'\[(\d+)ns\].*Safepoint "(\w+)".*Reaching safepoint: (\d+) ns, At safepoint: (\d+) ns', line)
        if m:
            end = int(m.group(1)); safepoints.append((end - int(m.group(3)) - int(m.group(4)), end, m.group(2)))
    safepoints.sort()

runs = {0: [], 1: []}
if a.sched:
    sw = re.compile(r'\[(\d+)\]\s+([\d.]+):\s+sched:sched_switch: prev_comm=.*? prev_pid=\d+ .*==> next_comm=(.*?) next_pid=(\d+)')
    cur = {}
    for line in open(a.sched):
        m = sw.search(line)
        if not m or int(m.group(1)) not in runs:
            continue
        c, t = int(m.group(1)), int(round(float(m.group(2)) * 1e9))
        if c in cur:
            runs[c].append((cur[c][0], t, cur[c][1], cur[c][2]))
        cur[c] = (t, m.group(3), m.group(4))
starts = {c: [r[0] for r in runs[c]] for c in runs}
own = set(open(a.own).read().split()) if a.own else set()


def ran(cpu, x, y):
    out = collections.Counter()
    i = max(0, bisect.bisect_left(starts[cpu], x) - 1)
    while i < len(runs[cpu]) and runs[cpu][i][0] < y:
        p, q, comm, tid = runs[cpu][i]
        if min(q, y) > max(p, x):
            out[(comm, tid)] += min(q, y) - max(p, x)
        i += 1
    return out


covered = (runs[0][0][0], runs[0][-1][1]) if runs[0] else None
cls, reqs = collections.Counter(), collections.Counter()
for x, y, k in eps:
    sp = [p for p in safepoints[max(0, bisect.bisect_left(safepoints, (x - 10**9,)) ):] if p[0] < y and p[1] > x]
    if sp:
        label = f"safepoint {sp[0][2]}"
    elif covered and covered[0] <= x and y <= covered[1]:
        c0 = {key: v for key, v in ran(0, x, y).items() if key[1] != a.worker and not key[0].startswith('swapper')}
        if c0:
            comm, tid = max(c0, key=c0.get)
            label = re.sub(r'\d+$', '', comm) + (' (own)' if tid in own else ' (other process)')
        else:
            label = 'nothing else on CPU 0'
        busy1 = sum(v for key, v in ran(1, x, y).items() if not re.match(r'(lat|wrk|swapper)', key[0]))
        if busy1 > 0.3 * (y - x):
            label += ', CPU 1 busy with others'
    else:
        label = 'outside the trace'
    cls[label] += 1; reqs[label] += k
print("episodes by cause (count, slow requests, share of slow requests):")
for key, v in cls.most_common(20):
    print(f"  {key:58s} {v:5d} {reqs[key]:7d} {100 * reqs[key] / max(1, slow):5.1f}%")
