#!/usr/bin/env bash
# The noisy-neighbour bar of issue 8: while one app spins in `for(;;){}` on every request, another
# app's latency must stay within 2x of its baseline. One NANO process (pinned to core 0, one I/O
# thread) hosts bench/limits/nano.json: `hello` and `spin`. wrk (core 1) measures hello alone, then
# hello while a second wrk keeps 2 spinning requests in flight, then hello alone again. Each spinning request is stopped at
# limits.cpuMs (50 ms) with a 503. Run twice: with demotion (the default: an app that passed its CPU
# limit moves to nice-19 background threads) and with -Dnano.limits.demote=false (it keeps spinning
# on the I/O thread). Prints p50/p99 and req/s of hello, and the ratios against the baseline of the
# same run (the mean of the runs alone before and after).
# Usage: bench/limits-neighbour.sh [duration-seconds]   (default 10); WARMUP=s (default 10)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dur="${1:-10}"
warmup="${WARMUP:-10}"
port=8090
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
"$root/nano" version >/dev/null  # builds when stale

wait_port() { for _ in $(seq 1 300); do curl -sf -H 'Host: hello.test' "http://127.0.0.1:$port/" >/dev/null && return 0; sleep 0.1; done; return 1; }
# wrk's latency lines are like "99%  1.23ms": in ms
ms() { awk -v q="$1" '$1==q { v=$2; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } printf "%.3f", v }'; }
hello() { taskset -c 1 wrk -t1 -c8 -d"$1s" --latency -H 'Host: hello.test' "http://127.0.0.1:$port/"; }

printf '%-10s %-13s %10s %10s %10s %9s %9s %9s\n' mode phase "p50 ms" "p99 ms" "req/s" "p50 x" "p99 x" "req/s x"
for mode in demote stay; do
  opts=""; [ $mode = stay ] && opts="-Dnano.limits.demote=false"
  NANO_JAVA_OPTS="$opts" taskset -c 0 "$root/nano" serve --config "$root/bench/limits/nano.json" >/tmp/bench-limits.log 2>&1 &
  pid=$!
  wait_port || { echo "nano did not start; see /tmp/bench-limits.log" >&2; kill $pid; exit 1; }
  hello "$warmup" >/dev/null
  before=$(hello "$dur")
  taskset -c 1 wrk -t1 -c2 -d"$((dur + 4))s" -H 'Host: spin.test' "http://127.0.0.1:$port/" >/tmp/bench-limits-spin.txt &
  spinner=$!
  sleep 2
  noisy=$(hello "$dur")
  wait $spinner
  after=$(hello "$dur")
  kill $pid; wait $pid 2>/dev/null || true
  # the baseline is the mean of the runs before and after, so that drift (JIT, a busy machine) shows
  for phase in before after; do
    out=${!phase}
    printf '%-10s %-13s %10s %10s %10s\n' $mode "alone $phase" "$(echo "$out" | ms 50%)" "$(echo "$out" | ms 99%)" \
      "$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  done
  b50=$(awk -v a="$(echo "$before" | ms 50%)" -v b="$(echo "$after" | ms 50%)" 'BEGIN { print (a + b) / 2 }')
  b99=$(awk -v a="$(echo "$before" | ms 99%)" -v b="$(echo "$after" | ms 99%)" 'BEGIN { print (a + b) / 2 }')
  brps=$(awk -v a="$(echo "$before" | awk '/Requests\/sec/ {print $2}')" -v b="$(echo "$after" | awk '/Requests\/sec/ {print $2}')" 'BEGIN { print (a + b) / 2 }')
  n50=$(echo "$noisy" | ms 50%); n99=$(echo "$noisy" | ms 99%); nrps=$(echo "$noisy" | awk '/Requests\/sec/ {print $2}')
  awk -v m=$mode -v a="$n50" -v b="$n99" -v c="$nrps" -v x="$b50" -v y="$b99" -v z="$brps" \
    'BEGIN { printf "%-10s %-13s %10s %10s %10s %9.2f %9.2f %9.2f\n", m, "spinning", a, b, c, a/x, b/y, c/z }'
  spun=$(awk '/requests in/ {print $1}' /tmp/bench-limits-spin.txt)
  echo "           (spin app: $spun requests, each stopped at its CPU limit with 503)"
done
