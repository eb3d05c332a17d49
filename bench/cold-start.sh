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
#   BUILD=dir        run the NANO build in dir (made with mvn -Dnano.buildDir=dir package) instead of
#                    this checkout's target/, e.g. to A/B a baseline; never rebuilds it
#   BREAKDOWN=1      also print the server's CPU per new app by thread (ms, from /proc/PID/task)
#   TRACE=1          also list what Truffle compiled while the timed apps were added (its compilation
#                    trace, engine.TraceCompilation): compilations there are the process warming up
#                    (code shared by all contexts reaching the thresholds), not work per app
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
count="${1:-200}"
warm="${WARM:-100}"
warm_s="${WARM_SECONDS:-0}"
modes="${MODES:-jit nojit}"
tmp="$(mktemp -d)"
nano="$root/nano"
if [ -n "${BUILD:-}" ]; then
  [ -f "$BUILD/nano.jar" ] || { echo "no nano.jar in $BUILD (build with mvn -Dnano.buildDir=$BUILD package)" >&2; exit 1; }
  mkdir -p "$tmp/build"; cp "$root/nano" "$tmp/build/nano"
  ln -s "$root/scripts" "$tmp/build/scripts"; ln -s "$(cd "$BUILD" && pwd)" "$tmp/build/target"  # no src/: never rebuilds
  nano="$tmp/build/nano"
fi
"$nano" version >/dev/null  # builds when stale
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
# "name ticks" per thread (the name is the comm field, in parentheses, and may hold spaces)
thread_ticks() {
  for f in /proc/"$1"/task/*/stat; do
    sed -E 's/^[0-9]+ \((.*)\) [A-Za-z] (.*)$/\1|\2/' "$f" 2>/dev/null |
      awk -F'|' '{ split($2, a, " "); gsub(/ /, "_", $1); print $1, a[11] + a[12] }'
  done | awk '{ t[$1] += $2 } END { for (n in t) print n, t[n] }' | sort
}

printf 'export default {\n  fetch() {\n    return new Response("ready\\n");\n  },\n};\n' >"$tmp/ready.js"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
rows=()
for mode in $modes; do
  jit=1; [ "$mode" = nojit ] && jit=0
  trace_opts=
  if [ "${TRACE:-0}" = 1 ]; then # a fixed file name: the AOT cache is rebuilt when the JVM options change
    trace_log="${TMPDIR:-/tmp}/nano-cold-start-trace-$mode.log"; : >"$trace_log"
    trace_opts="-Dnano.engine.log=$trace_log -Dpolyglot.engine.TraceCompilation=true"
  fi
  NANO_JAVA_OPTS="${NANO_JAVA_OPTS:-} $trace_opts" NANO_JIT=$jit taskset -c 0 "$nano" serve ${NANO_ARGS:-} --no-access-log --port 28280 --admin-port 28281 "$tmp/ready.js" \
    >"$tmp/log-$mode" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do curl -sf -o /dev/null http://127.0.0.1:28281/healthz && curl -sf -o /dev/null http://127.0.0.1:28280/ && break; sleep 0.1; done
  if [ "$warm_s" -gt 0 ]; then
    taskset -c 1 wrk -t1 -c8 -d"${warm_s}s" http://127.0.0.1:28280/ >/dev/null
  fi
  GAP_MS=0 taskset -c 1 node "$bench/lib/cold.mjs" 28281 28280 "$warm" 0 >/dev/null
  [ "${BREAKDOWN:-0}" = 1 ] && thread_ticks "$pid" >"$tmp/threads0-$mode"
  [ "${TRACE:-0}" = 1 ] && trace0=$(wc -l <"$trace_log")
  t0=$(cpu_ticks "$pid")
  out=$(taskset -c 1 node "$bench/lib/cold.mjs" 28281 28280 "$count" "$warm")
  t1=$(cpu_ticks "$pid")
  if [ "${TRACE:-0}" = 1 ]; then
    tail -n +"$((trace0 + 1))" "$trace_log" | grep 'opt done' |
      sed -E 's/.*id=[0-9]+ +([^|]*[^ |]) *\|.*\|Time +([0-9]+)\(.*/\2 \1/' >"$tmp/compiled-$mode"
    echo "Truffle compilations while the timed apps were added, $mode: $(wc -l <"$tmp/compiled-$mode")," \
      "$(awk '{ s += $1 } END { printf "%.1f", s / 1000 }' "$tmp/compiled-$mode") s of compile time (wall):" >&2
    sort -rn "$tmp/compiled-$mode" | head -25 | awk '{ printf "  %6d ms  %s\n", $1, substr($0, index($0, $2)) }' >&2
  fi
  if [ "${BREAKDOWN:-0}" = 1 ]; then
    thread_ticks "$pid" >"$tmp/threads1-$mode"
    echo "spare contexts, whole run: $(curl -sf http://127.0.0.1:28281/metrics | grep '^nano_context_pool_\(taken\|missed\)' | tr '\n' ' ')" >&2
    echo "server CPU per new app by thread, $mode (ms; threads of one name summed):" >&2
    join -a 2 -e 0 -o 2.1,1.2,2.2 "$tmp/threads0-$mode" "$tmp/threads1-$mode" |
      awk -v c="$clk" -v n="$count" '{ d = ($3 - $2) / c * 1000 / n; if (d > 0) printf "  %-32s %7.2f\n", $1, d }' |
      sort -k2 -rn >&2
  fi
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
