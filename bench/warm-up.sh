#!/usr/bin/env bash
# Warm-up: how long after its launch a server reaches 90% of its steady hello-world throughput.
# The server (bench/apps/hello.js) runs pinned to core 0; as soon as it answers, bench/lib/lat.c
# (core 1) loads it like `wrk -t1 -c32` for SECONDS_TOTAL over the same 32 keep-alive connections,
# and its record of every response is counted in 1-second windows. Steady = the mean of the last 10
# windows. The warm-up time ("at 90% (5 s)") = launch to the end of the first 5 windows whose mean is
# >= 90% of steady, as is every later 5 windows' mean. Also printed: the first 1-s window at 90%, and
# the strictest reading, the first window from which every later 1-s window is >= 90% (one noisy
# second late in the run moves it by a minute, for deno too: read it with the curve), the server's
# CPU time spent until the 5-s figure (all threads: the JIT's compiler threads share the core), and
# the req/s curve with CURVE=1. LOAD=windows: the old load, back-to-back 1-s `wrk` runs, each with
# 32 new connections (it also times connection set-up, which a JVM compiles late).
# The same criterion on CPU per request (the load-robust twin, for a machine shared with other work):
# the server's CPU time from launch to the first window from which every later window costs
# <= steady CPU/request / 0.9; on a core of its own this is about the wall time to 90%.
# Usage: bench/warm-up.sh [seconds]   (default 60)
#   RUNTIMES="nano deno"   (bun, workerd also work)
#   NANO_JAVA_OPTS         JVM options to try, e.g. -Dpolyglot.engine.CompilerThreads=2
#   SUMMARY=file           append "metric runtime value" lines for bench/all.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
total="${1:-60}"
runtimes="${RUNTIMES:-nano deno}"
load="${LOAD:-keepalive}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -x "$bench/node_modules/.bin/deno" ] || (cd "$bench" && npm install --silent --no-audit --no-fund >/dev/null)
"$root/nano" version >/dev/null  # builds when stale
tmp="$(mktemp -d)"
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
if [ "$load" != windows ]; then
  command -v gcc >/dev/null || { echo "gcc is needed for bench/lib/lat.c (or LOAD=windows)" >&2; exit 1; }
  gcc -O2 -o "$tmp/lat" "$root/bench/lib/lat.c"
fi
port=28680
cp "$bench/apps/hello.js" "$tmp/hello.js"
cat >"$tmp/hello.capnp" <<EOF
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = (modules = [(name = "worker", esModule = embed "hello.js")], compatibilityDate = "2024-01-01")) ],
  sockets = [ (name = "http", address = "127.0.0.1:$port", http = (), service = "main") ]
);
EOF
# The process's user + system CPU time, exited threads included (clock ticks of 10 ms).
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print int(($12 + $13) * 1000 / hz) }' /proc/"$1"/stat; }
now_ms() { date +%s%3N; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
rows=()
for rt in $runtimes; do
  t0=$(now_ms)
  case $rt in
    nano) taskset -c 0 "$root/nano" serve --no-watch --no-access-log --port $port "$tmp/hello.js" >"$tmp/log" 2>&1 & ;;
    deno) taskset -c 0 "$bench/node_modules/.bin/deno" serve --port $port "$tmp/hello.js" >"$tmp/log" 2>&1 & ;;
    bun) PORT=$port taskset -c 0 "$bench/node_modules/.bin/bun" "$tmp/hello.js" >"$tmp/log" 2>&1 & ;;
    workerd) taskset -c 0 "$bench/node_modules/.bin/workerd" serve "$tmp/hello.capnp" >"$tmp/log" 2>&1 & ;;
    *) echo "unknown runtime $rt" >&2; exit 2 ;;
  esac
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.01; done
  curve=() ends=() cpus=()
  cpu0=$(cpu_ms "$pid")
  if [ "$load" = windows ]; then
    end=$(( $(now_ms) + total * 1000 ))
    while [ "$(now_ms)" -lt "$end" ]; do
      r=$(taskset -c 1 wrk -t1 -c32 -d1s "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {printf "%d", $2}')
      curve+=("${r:-0}"); ends+=($(( $(now_ms) - t0 ))); cpus+=("$(cpu_ms "$pid")")
    done
  else
    # one run of lat (32 keep-alive connections, every response's time recorded), binned by second;
    # the server's CPU sampled beside it every 100 ms, read at each second's end
    lat0=$(now_ms)
    ( while kill -0 "$pid" 2>/dev/null; do echo "$(now_ms) $(cpu_ms "$pid")"; sleep 0.1; done ) >"$tmp/cpu" &
    sampler=$!
    taskset -c 1 "$tmp/lat" "$port" 32 "$total" "$tmp/lat.bin" 2>/dev/null
    kill "$sampler"; wait "$sampler" 2>/dev/null || true
    while read -r r e c; do curve+=("$r"); ends+=("$e"); cpus+=("$c"); done < <(
      python3 - "$tmp/lat.bin" "$tmp/cpu" "$((lat0 - t0))" "$t0" <<'PY'
import array, bisect, sys
d = array.array('Q'); d.frombytes(open(sys.argv[1], 'rb').read())
sent, lat = d[0::2], d[1::2]
start, offset, t0 = sent[0], int(sys.argv[3]), int(sys.argv[4])
counts = {}
for s, l in zip(sent, lat):
    b = (s + l - start) // 1_000_000_000
    counts[b] = counts.get(b, 0) + 1
samples = [tuple(map(int, line.split())) for line in open(sys.argv[2]) if len(line.split()) == 2]
at = [t - t0 for t, _ in samples]
for b in range(max(counts) if counts else 0):  # the last second is partial: left out
    end = offset + (b + 1) * 1000
    i = min(bisect.bisect_left(at, end), len(samples) - 1)
    print(counts.get(b, 0), end, samples[i][1])
PY
    )
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  [ "${CURVE:-0}" = 1 ] && echo "$rt: ${curve[*]}" >&2
  rows+=("$(printf '%s\n' "${curve[@]}" | paste -d' ' - <(printf '%s\n' "${ends[@]}") <(printf '%s\n' "${cpus[@]}") |
    awk -v rt="$rt" -v c0="$cpu0" '{ r[NR] = $1; e[NR] = $2; c[NR] = $3 }
      END {
        n = NR; k = n < 10 ? n : 10; s = 0
        for (i = n - k + 1; i <= n; i++) s += r[i]
        steady = s / k; at = n
        for (i = n; i >= 1 && r[i] >= 0.9 * steady; i--) at = i
        first = n; for (i = n; i >= 1; i--) if (r[i] >= 0.9 * steady) first = i
        # 5-s means: the end of the first 5 windows whose mean, and every later 5 windows mean, is >= 90%
        m5 = n
        for (i = n - 4; i >= 1; i--) { t = 0; for (j = i; j < i + 5; j++) t += r[j]; if (t / 5 < 0.9 * steady) break; m5 = i + 4 }
        c[0] = c0; per = s > 0 ? (c[n] - c[n - k]) / s : 0; cat = n
        for (i = n; i >= 1 && r[i] > 0 && (c[i] - c[i - 1]) / r[i] <= per / 0.9; i--) cat = i
        printf "%s %.0f %.1f %.1f %.1f %.1f %d %.1f %.1f\n", rt, steady, e[m5] / 1000, c[m5] / 1000, e[first] / 1000,
          e[at] / 1000, r[1], per * 1000, c[cat] / 1000
      }')")
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

printf '\nwarm-up to 90%% of steady hello-world req/s (%d s of load)\n' "$total"
printf '%-8s %10s %13s %15s %13s %13s %12s %17s %22s\n' runtime "steady r/s" "at 90% (5 s)" "CPU by then (s)" \
  "first 1 s 90%" "every 1 s 90%" "first 1s r/s" "steady CPU/req us" "CPU to 90% CPU/req (s)"
for r in "${rows[@]}"; do
  # shellcheck disable=SC2086
  printf '%-8s %10s %13s %15s %13s %13s %12s %17s %22s\n' $r
  # shellcheck disable=SC2086
  [ -n "${SUMMARY:-}" ] && set -- $r && printf 'warmup_to_90pct_s %s %s\nwarmup_cpu_s %s %s\nwarmup_cpu_to_90pct_cpu_per_req_s %s %s\n' "$1" "$3" "$1" "$4" "$1" "$9" >>"$SUMMARY"
done
