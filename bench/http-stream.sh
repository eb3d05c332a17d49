#!/usr/bin/env bash
# Streamed HTTP bodies: NANO beside `deno serve`, same app (bench/apps/stream.js), in one run.
# Server pinned to core 0, curl to core 1. Two cases, each BYTES long (default 1 GiB):
#   down  GET /big: a ReadableStream response written as JS produces it
#   echo  POST /echo with a chunked upload from curl, streamed back through new Response(request.body)
# Prints wall time, throughput, server CPU seconds (utime+stime from /proc; "loop cpu s": NANO's event-loop
# threads alone, without the JIT compiler and GC threads; deno: all threads) and the server's peak RSS
# growth over the run (VmHWM, reset before the run, minus VmRSS before), with ratios against deno.
# A case that does not finish within MAX_TIME seconds (default 300) is reported as such.
# Usage: bench/http-stream.sh [bytes]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
bytes="${1:-1073741824}"
max_time="${MAX_TIME:-300}"
mb=$(( (bytes >> 20) + 16 ))
[ -x "$bench/node_modules/.bin/deno" ] || (cd "$bench" && npm install --silent --no-audit --no-fund >/dev/null)
"$root/nano" version >/dev/null  # builds when stale

clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
# CPU ticks of NANO's event-loop threads (nano-worker-*: Netty I/O + JS); JIT and GC threads excluded
loop_ticks() { cat /proc/"$1"/task/*/stat 2>/dev/null | awk '$2 ~ /^\(nano-worker/ { n = NF; t += $(n-38) + $(n-37) } END { print t + 0 }'; }
kb() { awk -v k="$2" '$1==k":" {print $2}' "/proc/$1/status"; }
wait_port() { for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/" >/dev/null && return 0; sleep 0.1; done; return 1; }

case_run() { # pid port case bytes -> "seconds size"
  local url="http://127.0.0.1:$2"
  if [ "$3" = down ]; then
    taskset -c 1 curl -s -m "$max_time" -o /dev/null -w '%{time_total} %{size_download}' "$url/big?n=$4" || true
  else
    head -c "$4" /dev/zero | taskset -c 1 curl -s -m "$max_time" -T - -X POST -o /dev/null -w '%{time_total} %{size_download}' "$url/echo" || true
  fi
}

run_one() { # name port command...
  local name=$1 port=$2; shift 2
  taskset -c 0 "$@" >/tmp/bench-stream-$name.log 2>&1 &
  local pid=$!
  if ! wait_port "$port"; then echo "$name did not start; see /tmp/bench-stream-$name.log" >&2; kill $pid; return 1; fi
  case_run $pid "$port" down $((256 << 20)) >/dev/null  # warm-up (JIT)
  case_run $pid "$port" echo $((64 << 20)) >/dev/null
  for c in down echo; do
    local rss0 t0 out t1 hwm
    echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true  # resets VmHWM to the current RSS
    rss0=$(kb $pid VmRSS); t0=$(cpu_ticks $pid); l0=$(loop_ticks $pid)
    out=$(case_run $pid "$port" $c "$bytes")
    t1=$(cpu_ticks $pid); l1=$(loop_ticks $pid); hwm=$(kb $pid VmHWM)
    set -- $out
    if [ "$2" != "$bytes" ]; then
      echo "$name $c: $2 of $bytes bytes after $1 s (MAX_TIME=$max_time)" >&2
      continue
    fi
    awk -v n="$name" -v c="$c" -v s="$1" -v b="$bytes" -v t=$((t1 - t0)) -v l=$((l1 - l0)) -v k="$clk" -v r0="$rss0" -v h="$hwm" \
      'BEGIN { printf "%s %s %.2f %.0f %.2f %.2f %.0f\n", n, c, s, b / s / 1048576, t / k, (l > 0 ? l : t) / k, (h - r0) / 1024 }'
  done
  kill $pid; wait $pid 2>/dev/null || true
}

results=$( { run_one nano 18180 "$root/nano" serve --no-access-log --max-body-mb "$mb" --port 18180 "$bench/apps/stream.js"
             run_one deno 18190 "$bench/node_modules/.bin/deno" serve --port 18190 "$bench/apps/stream.js"; } | tee /dev/stderr )
printf '%-6s %-5s %9s %9s %9s %11s %14s %10s %10s\n' runtime case seconds MiB/s "cpu s" "loop cpu s" "peak RSS +MiB" "time ÷deno" "cpu ÷deno"
echo "$results" | awk '
  { n[NR]=$1; c[NR]=$2; s[NR]=$3; m[NR]=$4; t[NR]=$5; l[NR]=$6; r[NR]=$7; if ($1=="deno") { ds[$2]=$3; dt[$2]=$5 } }
  END { for (i = 1; i <= NR; i++) printf "%-6s %-5s %9.2f %9d %9.2f %11.2f %14d %9.2fx %9.2fx\n", n[i], c[i], s[i], m[i], t[i], l[i], r[i], (c[i] in ds) ? s[i]/ds[c[i]] : 0, (c[i] in dt) ? t[i]/dt[c[i]] : 0 }'
