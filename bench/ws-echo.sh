#!/usr/bin/env bash
# WebSocket echo: NANO (apps/ws-echo.js, WebSocketPair) beside deno (apps/ws-echo-deno.js,
# Deno.upgradeWebSocket) and bun (apps/ws-echo-bun.js, Bun.serve's websocket handlers), in one run on
# this machine, one runtime after the other. Server pinned to core 0, the load (WsEchoLoad.java,
# the JDK's WebSocket client: C connections, one message in flight each) pinned to core 1.
# Prints messages/s, p50 and p99 round-trip latency and server CPU time per message
# (utime+stime from /proc ÷ messages), then the ratios NANO ÷ deno, NANO ÷ bun and bun ÷ deno.
# Usage: bench/ws-echo.sh [duration-seconds]   (default 10)
#   CONNS=n      connections (default 32)     SIZE=n   message bytes (default 64)
#   WARMUP=s     warm-up seconds before the measured run (default 30: GraalJS's JIT needs 13-40 s on a
#                loaded 2-core machine, and a cold NANO measured after 10 s runs ~20x slower)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
dur="${1:-10}"
conns="${CONNS:-32}"
size="${SIZE:-64}"
warmup="${WARMUP:-30}"
[ -x "$bench/node_modules/.bin/deno" ] && [ -x "$bench/node_modules/.bin/bun" ] || (cd "$bench" && npm install --silent --no-audit --no-fund >/dev/null)
. "$root/scripts/jdk.sh"; use_jdk25
"$root/nano" version >/dev/null  # builds when stale

clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

run_one() { # name port command...
  local name=$1 port=$2; shift 2
  taskset -c 0 "$@" >/tmp/bench-ws-$name.log 2>&1 &
  local pid=$!
  if ! wait_port "$port"; then echo "$name did not start; see /tmp/bench-ws-$name.log" >&2; kill $pid; return 1; fi
  taskset -c 1 java "$bench/WsEchoLoad.java" "ws://127.0.0.1:$port/" "$conns" 0 "$warmup" "$size" >/dev/null  # warm-up
  # The measured run: its own connections (their handshakes count, a few ms), 1 s to settle, then $dur s.
  local t0; t0=$(cpu_ticks $pid)
  local out; out=$(taskset -c 1 java "$bench/WsEchoLoad.java" "ws://127.0.0.1:$port/" "$conns" 1 "$dur" "$size")
  local t1; t1=$(cpu_ticks $pid)
  kill $pid; wait $pid 2>/dev/null || true
  set -- $out
  local msgs=$1 rate=$2 p50=$3 p99=$4
  # server CPU over the measured run ÷ the messages it echoed in it (the settling second included)
  local total; total=$(awk -v r="$rate" -v d="$((1 + dur))" 'BEGIN { print r * d }')
  local us; us=$(awk -v t=$((t1 - t0)) -v c="$clk" -v n="$total" 'BEGIN { printf "%.2f", t / c * 1e6 / n }')
  echo "$name $rate $p50 $p99 $us"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
results=()
results+=("$(run_one nano 28180 "$root/nano" serve --port 28180 "$bench/apps/ws-echo.js")")
results+=("$(run_one deno 28190 "$bench/node_modules/.bin/deno" serve --port 28190 "$bench/apps/ws-echo-deno.js")")
results+=("$(run_one bun 28200 env PORT=28200 "$bench/node_modules/.bin/bun" "$bench/apps/ws-echo-bun.js")")
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

printf '\n%-6s %10s %9s %9s %12s\n' runtime msgs/s "p50 us" "p99 us" "cpu us/msg"
declare -A rate p99 cpu
for r in "${results[@]}"; do
  set -- $r
  printf '%-6s %10s %9s %9s %12s\n' "$1" "$2" "$3" "$4" "$5"
  rate[$1]=$2 p99[$1]=$4 cpu[$1]=$5
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
printf '\n%-12s %10s %9s %12s\n' ratio msgs/s "p99" "cpu/msg"
for pair in "nano deno" "nano bun" "bun deno"; do
  set -- $pair
  printf '%-12s %10s %9s %12s\n' "$1 ÷ $2" "$(ratio "${rate[$1]}" "${rate[$2]}")" \
    "$(ratio "${p99[$1]}" "${p99[$2]}")" "$(ratio "${cpu[$1]}" "${cpu[$2]}")"
done
