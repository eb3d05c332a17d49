#!/usr/bin/env bash
# A/B of NANO builds (or JVM options) on a shared machine: every variant serves AT THE SAME TIME on
# core 0, each with its own wrk on core 1, so all of them see the same load from other jobs, and
# their CPU µs per request (whole process, and the worker threads alone) can be compared window by
# window. One after the other (bench/http-hello.sh), a burst from another job lands on one variant
# only; side by side it lands on all. Absolute req/s and p99 here mean little: the variants share core 0.
# Usage: bench/http-ab.sh name=build-dir[:jvm-options] ...   (options comma-separated, e.g.
#        base=target-a new=target-b:-Dnano.engine.mode=default,-Xlog:gc:file=/tmp/gc.log)
#   APP=bench/apps/x.js URL_PATH=/...   the app (default bench/apps/hello.js, /)
#   WARMUP=s (default 90)  WINDOWS=n (default 3)  WINDOW=s (default 10)
#   NANO_ARGS="--no-access-log"   extra `nano serve` options for every variant; NANO_ARGS_<name>: for that
#                 variant only (replaces NANO_ARGS); PORT (default 18200) the first port
#   ALTERNATE=1   for latency: load one variant at a time, in turns (the order rotates each window), so that
#                 a variant's p99 is not set by another variant's work on core 0; the idle ones stay warm
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app="${APP:-$root/bench/apps/hello.js}"
case "$app" in /*) ;; *) app="$root/$app" ;; esac
url_path="${URL_PATH:-/}"
warmup="${WARMUP:-90}"; windows="${WINDOWS:-3}"; window="${WINDOW:-10}"
[ $# -gt 0 ] || { sed -n '2,16p' "$0" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }

names=(); pids=(); ports=()
tmp="$(mktemp -d)"
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
port="${PORT:-18200}"
for spec in "$@"; do
  name="${spec%%=*}"; rest="${spec#*=}"; dir="${rest%%:*}"; opts=""
  [[ "$rest" == *:* ]] && opts="${rest#*:}"
  case "$dir" in /*) ;; *) dir="$root/$dir" ;; esac
  [ -f "$dir/nano.jar" ] || { echo "no nano.jar in $dir (build with mvn -Dnano.buildDir=$dir package)" >&2; exit 1; }
  mkdir -p "$tmp/$name"; cp "$root/nano" "$tmp/$name/nano"
  ln -s "$root/scripts" "$tmp/$name/scripts"; ln -s "$dir" "$tmp/$name/target"  # no src/: never rebuilds
  args="NANO_ARGS_$name"
  # shellcheck disable=SC2086
  NANO_JAVA_OPTS="${opts//,/ }" taskset -c 0 "$tmp/$name/nano" serve --port $port ${!args-${NANO_ARGS:-}} "$app" >"/tmp/bench-ab-$name.log" 2>&1 &
  names+=("$name"); pids+=($!); ports+=($port); port=$((port + 1))
done
for p in "${ports[@]}"; do
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$p$url_path" >/dev/null && break; sleep 0.1; done
done

load() { # seconds, then "--latency" to keep wrk's output per variant in $tmp/<i>.wrk
  local ws=() i
  for i in "${!ports[@]}"; do
    taskset -c 1 wrk -t1 -c32 -d"$1s" ${2:-} "http://127.0.0.1:${ports[$i]}$url_path" >"$tmp/$i.wrk" & ws+=($!)
  done
  wait "${ws[@]}"
}
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
worker_ticks() { # the I/O + JS worker threads only (no JIT, GC, log writer)
  local s=0 t
  for t in /proc/"$1"/task/*; do
    grep -q nano-worker "$t/comm" 2>/dev/null && s=$((s + $(awk '{n = NF; print $(n-38) + $(n-37)}' "$t/stat")))
  done
  echo $s
}

load_one() { # index seconds: that variant alone, with --latency
  taskset -c 1 wrk -t1 -c32 -d"$2s" --latency "http://127.0.0.1:${ports[$1]}$url_path" >"$tmp/$1.wrk"
}
report() { # index ticks-before worker-ticks-before: "name req/s cpu workers p50 p99 |"
  local i=$1 t1 w1 reqs p50 p99
  t1=$(ticks "${pids[$i]}"); w1=$(worker_ticks "${pids[$i]}")
  reqs=$(awk '/requests in/ {print $1}' "$tmp/$i.wrk")
  p50=$(awk '$1=="50%" {print $2}' "$tmp/$i.wrk"); p99=$(awk '$1=="99%" {print $2}' "$tmp/$i.wrk")
  awk -v n="${names[$i]}" -v t=$((t1 - $2)) -v w=$((w1 - $3)) -v r="$reqs" -v c="$clk" -v d="$window" -v p="$p99" -v m="$p50" \
    'BEGIN { printf "  %s %7.0f req/s  cpu %6.2f  workers %6.2f us/req  p50 %s  p99 %s |", n, r / d, t / c * 1e6 / r, w / c * 1e6 / r, m, p }'
}

echo "app: ${app#"$root"/}$url_path  warm-up ${warmup}s, ${windows} windows of ${window}s$([ "${ALTERNATE:-0}" = 1 ] && echo ', one variant at a time')  load: $(cut -d' ' -f1-3 /proc/loadavg)"
load "$warmup"
clk=$(getconf CLK_TCK)
n=${#pids[@]}
for k in $(seq 1 "$windows"); do
  line="window $k:"
  if [ "${ALTERNATE:-0}" = 1 ]; then
    res=()
    for j in $(seq 0 $((n - 1))); do
      i=$(((j + k - 1) % n))
      t0=$(ticks "${pids[$i]}"); w0=$(worker_ticks "${pids[$i]}")
      load_one "$i" "$window"
      res[i]=$(report "$i" "$t0" "$w0")
    done
    for i in "${!pids[@]}"; do line+=${res[$i]}; done
  else
    t0=(); w0=()
    for i in "${!pids[@]}"; do t0+=("$(ticks "${pids[$i]}")"); w0+=("$(worker_ticks "${pids[$i]}")"); done
    load "$window" --latency
    for i in "${!pids[@]}"; do line+=$(report "$i" "${t0[$i]}" "${w0[$i]}"); done
  fi
  echo "$line  load $(cut -d' ' -f1 /proc/loadavg)"
done
