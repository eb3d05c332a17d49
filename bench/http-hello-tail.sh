#!/usr/bin/env bash
# Where hello world's slow requests come from (issue 8 item 12). NANO on core 0, after a wrk warm-up, is
# loaded like `wrk -t1 -c32` by bench/lib/lat.c on core 1, which records every request's latency; a JVM
# safepoint log (timenanos) and, when `perf` works, `perf sched record -k CLOCK_MONOTONIC` run beside it.
# bench/lib/slow-episodes.py then groups the slow requests into episodes and names what held core 0 in
# each: a safepoint (GC), a thread of NANO's own (log writer, JIT compilers, watchdog...), another process,
# or nothing (the load generator's core busy instead). PEER=deno also loads `deno serve` the same way.
# Usage: bench/http-hello-tail.sh [seconds]   (default 10)
#   WARMUP=s (default 60)  SLOW_US="thresholds" (default "500 2000": one table each)  NANO_JAVA_OPTS, NANO_ARGS
#   NANO_BUILD=dir   a Maven build folder (mvn -Dnano.buildDir=dir package) instead of ./nano's own
#   NANO_AOT is 0 unless set: the safepoint log option changes the JVM options, so with NANO_AOT=1 the
#   build's AOT cache is rebuilt for them (once: the log's path is fixed), and again by the next plain ./nano
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dur="${1:-10}"; warmup="${WARMUP:-60}"; slow="${SLOW_US:-500 2000}"
app="$root/bench/apps/hello.js"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v gcc >/dev/null || { echo "gcc is needed for bench/lib/lat.c" >&2; exit 1; }
tmp="$(mktemp -d)"
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
gcc -O2 -o "$tmp/lat" "$root/bench/lib/lat.c"
perf_ok=0; perf sched record -o "$tmp/probe.data" -- true >/dev/null 2>&1 && perf_ok=1

launcher="$root/nano"
if [ -n "${NANO_BUILD:-}" ]; then
  dir="$NANO_BUILD"; case "$dir" in /*) ;; *) dir="$root/$dir" ;; esac
  mkdir -p "$tmp/n"; cp "$root/nano" "$tmp/n/nano"; ln -s "$root/scripts" "$tmp/n/scripts"; ln -s "$dir" "$tmp/n/target"
  launcher="$tmp/n/nano"
fi

wait_port() { for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$1/" >/dev/null && return 0; sleep 0.1; done; return 1; }
measure() { # name port pid worker-tid: lat (and perf) for $dur seconds, then the episodes
  local name=$1 port=$2 p=$3 worker=$4 sched=()
  ls "/proc/$p/task" >"$tmp/$name.own"
  if [ $perf_ok = 1 ]; then
    perf sched record -k CLOCK_MONOTONIC -o "$tmp/$name.data" -- sleep $((dur + 1)) >/dev/null 2>&1 &
    local perf_pid=$!; sleep 0.5
  fi
  taskset -c 1 "$tmp/lat" "$port" 32 "$dur" "$tmp/$name.bin" 2>/dev/null
  if [ $perf_ok = 1 ]; then
    wait $perf_pid || true
    perf script -i "$tmp/$name.data" -F time,cpu,event,trace 2>/dev/null | grep sched_switch >"$tmp/$name.sw" || true
    sched=(--sched "$tmp/$name.sw" --worker "$worker" --own "$tmp/$name.own")
  fi
  echo "== $name (load average $(cut -d' ' -f1 /proc/loadavg))"
  local us
  for us in $slow; do
    python3 "$root/bench/lib/slow-episodes.py" "$tmp/$name.bin" "$us" "${sched[@]}" \
      $([ "$name" = nano ] && [ -s "$safepoints" ] && echo --safepoints "$safepoints")
  done
}

# shellcheck disable=SC2086
safepoints="${TMPDIR:-/tmp}/nano-hello-tail.safepoints"; rm -f "$safepoints"
NANO_AOT="${NANO_AOT:-0}" NANO_JAVA_OPTS="${NANO_JAVA_OPTS:-} -Xlog:safepoint:file=$safepoints:timenanos" \
  taskset -c 0 "$launcher" serve --port 18500 ${NANO_ARGS:-} "$app" >"$tmp/nano.out" 2>&1 &
pid=$!
wait_port 18500 || { echo "NANO did not start" >&2; cat "$tmp/nano.out" >&2; exit 1; }
jvm=$(pgrep -P "$pid" java || echo "$pid")  # ./nano execs java, so usually the same pid
taskset -c 1 wrk -t1 -c32 -d"${warmup}s" http://127.0.0.1:18500/ >/dev/null
worker=$(for t in /proc/"$jvm"/task/*; do if grep -q "^nano-worker" "$t/comm"; then basename "$t"; fi; done | head -1)
measure nano 18500 "$jvm" "$worker"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

if [ "${PEER:-}" = deno ]; then
  [ -x "$root/bench/node_modules/.bin/deno" ] || (cd "$root/bench" && npm install --silent --no-audit --no-fund >/dev/null)
  taskset -c 0 "$root/bench/node_modules/.bin/deno" serve --port 18501 "$app" >"$tmp/deno.out" 2>&1 &
  pid=$!
  wait_port 18501 || { echo "deno did not start" >&2; exit 1; }
  taskset -c 1 wrk -t1 -c32 -d"${warmup}s" http://127.0.0.1:18501/ >/dev/null
  dpid=$(pgrep -f "deno serve --port 18501" | tail -1)
  measure deno 18501 "$dpid" "$dpid"
fi
