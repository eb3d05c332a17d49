#!/usr/bin/env bash
# Warm-up: how long after its launch a server reaches 90% of its steady hello-world throughput.
# The server (bench/apps/hello.js) runs pinned to core 0; as soon as it answers, wrk (core 1) runs
# back-to-back 1-second windows (-t1 -c32) for SECONDS_TOTAL. Steady = the mean of the last 10
# windows; the warm-up time = launch to the end of the first window from which every later window
# is >= 90% of steady. Also prints the server's CPU time spent until then (all threads: the JIT's
# compiler threads share the core with the server), and the req/s curve with CURVE=1.
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
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -x "$bench/node_modules/.bin/deno" ] || (cd "$bench" && npm install --silent --no-audit --no-fund >/dev/null)
"$root/nano" version >/dev/null  # builds when stale
tmp="$(mktemp -d)"
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
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
  end=$(( $(now_ms) + total * 1000 ))
  while [ "$(now_ms)" -lt "$end" ]; do
    r=$(taskset -c 1 wrk -t1 -c32 -d1s "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {printf "%d", $2}')
    curve+=("${r:-0}"); ends+=($(( $(now_ms) - t0 ))); cpus+=("$(cpu_ms "$pid")")
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  [ "${CURVE:-0}" = 1 ] && echo "$rt: ${curve[*]}" >&2
  rows+=("$(printf '%s\n' "${curve[@]}" | paste -d' ' - <(printf '%s\n' "${ends[@]}") <(printf '%s\n' "${cpus[@]}") |
    awk -v rt="$rt" -v c0="$cpu0" '{ r[NR] = $1; e[NR] = $2; c[NR] = $3 }
      END {
        n = NR; k = n < 10 ? n : 10; s = 0
        for (i = n - k + 1; i <= n; i++) s += r[i]
        steady = s / k; at = n
        for (i = n; i >= 1 && r[i] >= 0.9 * steady; i--) at = i
        c[0] = c0; per = s > 0 ? (c[n] - c[n - k]) / s : 0; cat = n
        for (i = n; i >= 1 && r[i] > 0 && (c[i] - c[i - 1]) / r[i] <= per / 0.9; i--) cat = i
        printf "%s %.0f %.1f %.1f %d %.1f %.1f\n", rt, steady, e[at] / 1000, c[at] / 1000, r[1], per * 1000, c[cat] / 1000
      }')")
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

printf '\nwarm-up to 90%% of steady hello-world req/s (%d s of load)\n' "$total"
printf '%-8s %10s %12s %14s %12s %16s %18s\n' runtime "steady r/s" "at 90% (s)" "CPU by then (s)" "first 1s r/s" \
  "steady CPU/req us" "CPU to 90% CPU/req (s)"
for r in "${rows[@]}"; do
  # shellcheck disable=SC2086
  printf '%-8s %10s %12s %14s %12s %16s %18s\n' $r
  # shellcheck disable=SC2086
  [ -n "${SUMMARY:-}" ] && set -- $r && printf 'warmup_to_90pct_s %s %s\nwarmup_cpu_s %s %s\nwarmup_cpu_to_90pct_cpu_per_req_s %s %s\n' "$1" "$3" "$1" "$4" "$1" "$7" >>"$SUMMARY"
done
