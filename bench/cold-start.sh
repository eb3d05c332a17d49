#!/usr/bin/env bash
# Cold start of an app on a warm NANO: from adding it (admin API POST /apps/<name> with the module
# source; the call returns once the app has loaded) to its first response. The server (pinned to
# core 0) first adds WARM apps that are not counted, then COUNT new apps one after another are timed
# by the client (core 1). Prints p50/p90/p99/max in milliseconds for the add, the first request,
# both, and a second request to the same app (again: a warm request, the baseline for "first" in the
# same run), and the server's CPU time per new app (utime+stime from /proc), the steadier figure on a
# shared machine. workerd, deno and bun have no way to add an app to a running process: their
# nearest equivalent is starting a process (bench/process-start.sh).
# Usage: bench/cold-start.sh [count]   (default 200)
#   WARM=n           apps added before the timed ones (default 100)
#   WARM_SECONDS=s   before the apps, s seconds of load (wrk) on the first app, so that NANO's request
#                    path is compiled as in a server that has been serving (default 0: none)
#   GAP_MS=n         wait n ms after each app (default 0: back to back, an add storm in which the
#                    server's core is busy all the time and the spares are rebuilt on the apps' path)
#   MODES="jit nojit" NANO with the Graal JIT (default) and/or interpreted (NANO_JIT=0)
#   NANO_JAVA_OPTS   extra JVM options for NANO
#   NANO_ARGS        extra `nano serve` arguments (e.g. --no-watch)
#   SUMMARY=file     append "metric runtime value" lines for bench/all.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
count="${1:-200}"
warm="${WARM:-100}"
warm_s="${WARM_SECONDS:-0}"
modes="${MODES:-jit nojit}"
"$root/nano" version >/dev/null  # builds when stale
tmp="$(mktemp -d)"
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

printf 'export default {\n  fetch() {\n    return new Response("ready\\n");\n  },\n};\n' >"$tmp/ready.js"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
rows=()
for mode in $modes; do
  jit=1; [ "$mode" = nojit ] && jit=0
  NANO_JIT=$jit taskset -c 0 "$root/nano" serve ${NANO_ARGS:-} --no-access-log --port 28280 --admin-port 28281 "$tmp/ready.js" \
    >"$tmp/log-$mode" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do curl -sf -o /dev/null http://127.0.0.1:28281/healthz && curl -sf -o /dev/null http://127.0.0.1:28280/ && break; sleep 0.1; done
  if [ "$warm_s" -gt 0 ]; then
    taskset -c 1 wrk -t1 -c8 -d"${warm_s}s" http://127.0.0.1:28280/ >/dev/null
  fi
  GAP_MS=0 taskset -c 1 node "$bench/lib/cold.mjs" 28281 28280 "$warm" 0 >/dev/null
  t0=$(cpu_ticks "$pid")
  out=$(taskset -c 1 node "$bench/lib/cold.mjs" 28281 28280 "$count" "$warm")
  t1=$(cpu_ticks "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  cpu=$(awk -v t=$((t1 - t0)) -v c="$clk" -v n="$count" 'BEGIN { printf "%.2f", t / c * 1000 / n }')
  rows+=("$mode $cpu $out")
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

printf '\nNANO cold start, %d new apps after %d (ms)\n' "$count" "$warm"
printf '%-6s %-12s %8s %8s %8s %8s\n' mode phase p50 p90 p99 max
for r in "${rows[@]}"; do
  mode=${r%% *}; rest=${r#* }; cpu=${rest%% *}; json=${rest#* }
  for phase in add first total again; do
    printf '%-6s %-12s %s\n' "$mode" "$phase" \
      "$(echo "$json" | jq -r --arg p "$phase" '.[$p] | "\(.p50) \(.p90) \(.p99) \(.max)"' | awk '{ printf "%8s %8s %8s %8s", $1, $2, $3, $4 }')"
  done
  printf '%-6s %-12s %8s\n' "$mode" "server CPU" "$cpu"
  if [ -n "${SUMMARY:-}" ]; then
    rt=nano; [ "$mode" = nojit ] && rt=nano-int
    echo "$json" | jq -r --arg rt "$rt" '"cold_start_p50_ms \($rt) \(.total.p50)\ncold_start_p99_ms \($rt) \(.total.p99)"' >>"$SUMMARY"
    echo "cold_start_cpu_ms $rt $cpu" >>"$SUMMARY"
  fi
done
