#!/usr/bin/env bash
# WebSocket echo: NANO (apps/ws-echo.js, WebSocketPair) beside deno (apps/ws-echo-deno.js,
# Deno.upgradeWebSocket), in one run on this machine. Server pinned to core 0, the load (WsEchoLoad.java,
# the JDK's WebSocket client: C connections, one message in flight each) pinned to core 1.
# Prints messages/s, p50 and p99 round-trip latency and server CPU time per message
# (utime+stime from /proc ÷ messages), with the ratios against deno.
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
[ -x "$bench/node_modules/.bin/deno" ] || (cd "$bench" && npm install --silent --no-audit --no-fund >/dev/null)
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

results=()
results+=("$(run_one nano 28180 "$root/nano" serve --port 28180 "$bench/apps/ws-echo.js")")
results+=("$(run_one deno 28190 "$bench/node_modules/.bin/deno" serve --port 28190 "$bench/apps/ws-echo-deno.js")")
printf '\n%-6s %10s %9s %9s %12s %12s %10s %10s\n' runtime msgs/s "p50 us" "p99 us" "cpu us/msg" "msgs/s ÷deno" "p99 ÷deno" "cpu ÷deno"
deno=$(printf '%s\n' "${results[@]}" | awk '$1=="deno" {print $2, $4, $5}')
read -r drate dp99 dcpu <<<"$deno"
for r in "${results[@]}"; do
  set -- $r
  printf '%-6s %10s %9s %9s %12s %11.2fx %9.2fx %9.2fx\n' "$1" "$2" "$3" "$4" "$5" \
    "$(awk -v a="$2" -v b="$drate" 'BEGIN { print a / b }')" "$(awk -v a="$4" -v b="$dp99" 'BEGIN { print a / b }')" \
    "$(awk -v a="$5" -v b="$dcpu" 'BEGIN { print a / b }')"
done
