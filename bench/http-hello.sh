#!/usr/bin/env bash
# Hello-world HTTP throughput: NANO beside `deno serve`, in one run on this machine.
# Server pinned to core 0, wrk pinned to core 1 (`taskset`), warm-up first, then a measured run.
# Prints req/s, p99 latency and server CPU time per request (utime+stime from /proc ÷ requests),
# which is the fairer figure when the 2-core load generator is the limit.
# Usage: bench/http-hello.sh [duration-seconds]   (default 10)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
dur="${1:-10}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -x "$bench/node_modules/.bin/deno" ] || (cd "$bench" && npm install --silent --no-audit --no-fund >/dev/null)
. "$root/scripts/jdk.sh"; use_jdk25
"$root/nano" version >/dev/null  # builds when stale

clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
wait_port() { for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/" >/dev/null && return 0; sleep 0.1; done; return 1; }

run_one() { # name port command...
  local name=$1 port=$2; shift 2
  taskset -c 0 "$@" >/tmp/bench-$name.log 2>&1 &
  local pid=$!
  if ! wait_port "$port"; then echo "$name did not start; see /tmp/bench-$name.log" >&2; kill $pid; return 1; fi
  # the server's JVM/runtime may have spawned children; measure the process group leader's tree via its pid
  taskset -c 1 wrk -t1 -c32 -d"$(( dur < 10 ? dur : 10 ))s" "http://127.0.0.1:$port/" >/dev/null  # warm-up
  local t0; t0=$(cpu_ticks $pid)
  local out; out=$(taskset -c 1 wrk -t1 -c32 -d"${dur}s" --latency "http://127.0.0.1:$port/")
  local t1; t1=$(cpu_ticks $pid)
  kill $pid; wait $pid 2>/dev/null || true
  local rps reqs p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  local us; us=$(awk -v t=$((t1 - t0)) -v c="$clk" -v r="$reqs" 'BEGIN { printf "%.2f", t / c * 1e6 / r }')
  echo "$name $rps $p99 $us"
}

results=()
results+=("$(run_one nano 18080 "$root/nano" serve --port 18080 "$bench/apps/hello.js")")
results+=("$(run_one deno 18081 "$bench/node_modules/.bin/deno" serve --port 18081 "$bench/apps/hello.js")")

printf '\n%-6s %12s %10s %16s %10s\n' runtime req/s p99 "cpu us/req" "vs deno"
deno_rps=$(printf '%s\n' "${results[@]}" | awk '$1=="deno" {print $2}')
for r in "${results[@]}"; do
  set -- $r
  printf '%-6s %12s %10s %16s %9.2fx\n' "$1" "$2" "$3" "$4" "$(awk -v a="$2" -v b="$deno_rps" 'BEGIN { print a / b }')"
done
