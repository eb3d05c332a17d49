#!/usr/bin/env bash
# Launcher A/B: hello world served by ./nano under two environments (e.g. NANO_IMAGE=1 vs NANO_IMAGE=0,
# the JIT with and without the AOT cache), one server loaded at a time (wrk -t1 -c32 --latency on core
# 1, servers on core 0), so each p99 is its own. Both get 60 s of warm-up; then ROUNDS x 10 s windows
# in turns, and the median young-collection pause of each (from -Xlog:gc) over the last 60.
# Usage: bench/launcher-ab.sh "A-env" "B-env"   e.g. bench/launcher-ab.sh "NANO_IMAGE=1" "NANO_IMAGE=0"
#   (each argument: space-separated VAR=value words, passed to env; ROUNDS=4)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${ROUNDS:-4}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
tmp="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
cp "$root/bench/apps/hello.js" "$tmp/hello.js"
ports=(28621 28622)
envs=("$1" "$2")
for i in 0 1; do
  # shellcheck disable=SC2086
  env ${envs[$i]} NANO_JAVA_OPTS="${NANO_JAVA_OPTS:-} -Xlog:gc:file=$tmp/gc$i.log" \
    taskset -c 0 "$root/nano" serve --no-watch --port "${ports[$i]}" "$tmp/hello.js" >"$tmp/log$i" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do curl -s -o /dev/null "http://127.0.0.1:${ports[$i]}/" && break; sleep 0.2; done
done
for i in 0 1; do taskset -c 1 wrk -t1 -c32 -d60s "http://127.0.0.1:${ports[$i]}/" >/dev/null; done
for r in $(seq 1 "$rounds"); do
  for i in 0 1; do
    out=$(taskset -c 1 wrk -t1 -c32 -d10s --latency "http://127.0.0.1:${ports[$i]}/")
    printf '%s  round %d  req/s %s  p50 %s  p99 %s\n' "$([ $i = 0 ] && echo A || echo B)" "$r" \
      "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(echo "$out" | awk '$1=="50%" {print $2}')" \
      "$(echo "$out" | awk '$1=="99%" {print $2}')"
  done
done
for i in 0 1; do
  printf '%s  young pauses, median of the last 60: %s ms   (%s)\n' "$([ $i = 0 ] && echo A || echo B)" \
    "$(grep 'Pause Young' "$tmp/gc$i.log" | tail -60 | sed -E 's/.* ([0-9.]+)ms$/\1/' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')" "${envs[$i]}"
done
