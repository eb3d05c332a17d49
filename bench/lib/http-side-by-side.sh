#!/usr/bin/env bash
# HTTP throughput of one app module: NANO beside `deno serve` and bun, in one run on this machine.
# Shared by bench/http-hello.sh and bench/http-realistic.sh (which set APP and URL_PATH).
# Server pinned to core 0, wrk pinned to core 1 (`taskset`), warm-up first, then a measured run.
# Prints req/s, p99 latency and server CPU time per request (utime+stime from /proc ÷ requests),
# which is the fairer figure when the 2-core load generator is the limit or the machine is shared,
# and NANO's ratios to each peer.
# Usage: APP=bench/apps/x.js [URL_PATH=/...] bench/lib/http-side-by-side.sh [duration-seconds]  (default 10)
#   PEERS="deno bun"            the peers to run beside NANO (default both; empty for NANO only)
#   NANO_BUILDS="name=dir ..."  compare NANO builds (each a Maven build folder such as target-x, made
#                               with -Dnano.buildDir) beside deno, e.g. NANO_BUILDS="old=target-a new=target-b";
#                               default: ./nano's own build (rebuilt when stale)
#   NANO_JAVA_OPTS              extra JVM options for every NANO run (e.g. a GC to try)
#   NANO_OPTS_<name>            extra JVM options for the build called <name> only (replaces NANO_JAVA_OPTS)
#   NANO_ARGS_<name>            extra `nano serve` arguments for that build (e.g. --no-access-log)
#   ROUNDS=n                    repeat the whole comparison n times (default 1)
#   BREAKDOWN=1                 also print NANO's CPU µs/request per thread kind (workers, JIT, GC, ...)
#   WARMUP=s                    warm-up seconds before each measured run (default 10; the JIT needs them)
#   INTERLEAVE=n                all servers up at once, then n turns of duration/n seconds each, server after
#                               server (load from bench/lib/lat.c, p99 over every request): use it for ratios
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="$root/bench"
app="${APP:?APP=path of the app module}"
case "$app" in /*) ;; *) app="$root/$app" ;; esac
url_path="${URL_PATH:-/}"
peers="${PEERS-deno bun}"
dur="${1:-10}"
rounds="${ROUNDS:-1}"
warmup="${WARMUP:-10}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -x "$bench/node_modules/.bin/deno" ] && [ -x "$bench/node_modules/.bin/bun" ] || (cd "$bench" && npm install --silent --no-audit --no-fund >/dev/null)
. "$root/scripts/jdk.sh"; use_jdk25

# Each NANO build runs through a copy of ./nano (same JVM options) whose target/ is that build.
launchers=()
if [ -z "${NANO_BUILDS:-}" ]; then
  "$root/nano" version >/dev/null  # builds when stale
  launchers+=("nano=$root/nano")
else
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  for spec in $NANO_BUILDS; do
    name="${spec%%=*}"; dir="${spec#*=}"
    case "$dir" in /*) ;; *) dir="$root/$dir" ;; esac
    [ -f "$dir/nano.jar" ] || { echo "no nano.jar in $dir (build with mvn -Dnano.buildDir=$dir package)" >&2; exit 1; }
    mkdir -p "$tmp/$name"
    cp "$root/nano" "$tmp/$name/nano"
    ln -s "$root/scripts" "$tmp/$name/scripts"
    ln -s "$dir" "$tmp/$name/target"  # no src/ beside it: the copy never rebuilds
    launchers+=("$name=$tmp/$name/nano")
  done
fi

clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
sys_ticks() { awk '{print $15}' "/proc/$1/stat"; }
# "kind ticks" per thread, digits dropped from thread names (comm may hold spaces: take fields from the end)
thread_ticks() {
  for t in /proc/"$1"/task/*; do
    local c; c=$(tr -d '0-9#' <"$t/comm" | tr ' ' '_')
    awk -v c="$c" '{ n = NF; print c, $(n-38) + $(n-37) }' "$t/stat" 2>/dev/null
  done
}
# up to 120 s: a build's copy of ./nano makes its own AOT cache before it starts
wait_port() { for _ in $(seq 1 1200); do curl -sf "http://127.0.0.1:$1$url_path" >/dev/null && return 0; sleep 0.1; done; return 1; }

launch() { # name command...: started on core 0 in the background, its pid in $launched
  local name=$1 ov="NANO_OPTS_$1"; shift
  NANO_JAVA_OPTS="${!ov-${NANO_JAVA_OPTS:-}}" taskset -c 0 "$@" >/tmp/bench-$name.log 2>&1 &
  launched=$!
}

for_each_server() { # fn: runs `fn name port command...` for each NANO build, then for each peer
  local fn=$1 port=18080 l av p
  for l in "${launchers[@]}"; do
    av="NANO_ARGS_${l%%=*}"
    # shellcheck disable=SC2086
    "$fn" "${l%%=*}" $port "${l#*=}" serve --port $port ${!av:-} "$app"
    port=$((port + 1))
  done
  for p in $peers; do
    case $p in
      deno) "$fn" deno 18090 "$bench/node_modules/.bin/deno" serve --port 18090 "$app" ;;
      # bun serves a module's default export itself; production mode, as deployed
      bun) NODE_ENV=production PORT=18091 "$fn" bun 18091 "$bench/node_modules/.bin/bun" "$app" ;;
      *) echo "unknown peer $p" >&2; exit 1 ;;
    esac
  done
}

run_one() { # name port command...
  local name=$1 port=$2; shift 2
  launch "$name" "$@"
  local pid=$launched
  if ! wait_port "$port"; then echo "$name did not start; see /tmp/bench-$name.log" >&2; kill $pid; return 1; fi
  taskset -c 1 wrk -t1 -c32 -d"${warmup}s" "http://127.0.0.1:$port$url_path" >/dev/null  # warm-up
  local split=0; [ "${BREAKDOWN:-0}" = 1 ] && [ "$name" != deno ] && [ "$name" != bun ] && split=1  # ./nano execs java: $pid is the JVM
  local t0; t0=$(cpu_ticks $pid)
  local s0; s0=$(sys_ticks $pid)
  local b0=; [ $split = 1 ] && b0=$(thread_ticks $pid)
  local out; out=$(taskset -c 1 wrk -t1 -c32 -d"${dur}s" --latency "http://127.0.0.1:$port$url_path")
  local t1; t1=$(cpu_ticks $pid)
  local s1; s1=$(sys_ticks $pid)
  local b1=; [ $split = 1 ] && b1=$(thread_ticks $pid)
  kill $pid; wait $pid 2>/dev/null || true
  local rps reqs p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  local us; us=$(awk -v t=$((t1 - t0)) -v c="$clk" -v r="$reqs" 'BEGIN { printf "%.2f", t / c * 1e6 / r }')
  local sys; sys=$(awk -v t=$((s1 - s0)) -v c="$clk" -v r="$reqs" 'BEGIN { printf "%.2f", t / c * 1e6 / r }')
  if [ -n "${b1:-}" ]; then # threads that came and went in between are missed: fine for a breakdown
    { echo "$b0" | sed 's/^/0 /'; echo "$b1" | sed 's/^/1 /'; } |
      awk -v c="$clk" -v r="$reqs" -v n="$name" '
        { d[$2] += ($1 == 1 ? $3 : -$3) }
        END { for (k in d) if (d[k] > 0) printf "  %-6s %-32s %8.2f us/req\n", n, k, d[k] / c * 1e6 / r }' | sort -k4 -rn >&2
  fi
  echo "$name $rps $p99 $us $sys"
}

# wrk prints p99 as 850.00us / 1.20ms / 1.01s: in µs, for ratios
to_us() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) print n; else if (v ~ /ms$/) print n * 1000; else if (v ~ /s$/) print n * 1e6; else print n }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }

print_table() { # the results array: "name req/s p99 cpu-us/req kernel-us/req" each
  head=$(printf '%-8s %10s %9s %10s %9s' runtime req/s p99 "cpu us/req" "(kernel)")
  for p in $peers; do head+=$(printf ' | %8s %8s %8s' "rps/$p" "cpu/$p" "p99/$p"); done
  printf '\n%s\n' "$head"
  for r in "${results[@]}"; do
    set -- $r
    line=$(printf '%-8s %10s %9s %10s %9s' "$1" "$2" "$3" "$4" "$5")
    for p in $peers; do
      peer=$(printf '%s\n' "${results[@]}" | awk -v p="$p" '$1==p')
      set -- $r; rps=$2; p99=$3; cpu=$4
      set -- $peer
      line+=$(printf ' | %8s %8s %8s' "$(ratio "$rps" "$2")" "$(ratio "$cpu" "$4")" "$(ratio "$(to_us "$p99")" "$(to_us "$3")")")
    done
    echo "$line"
  done
}

# INTERLEAVE=n: every server started at once (all pinned to core 0, idle but one), each warmed, then
# n turns in which each server in turn gets dur/n seconds of load from bench/lib/lat.c (32 keep-alive
# connections like wrk -t1 -c32, every latency recorded): the machine's slow spells (seconds in which
# every process's CPU per request rises, deno's as much as NANO's) then fall on every server alike.
interleaved() {
  command -v gcc >/dev/null || { echo "gcc is needed for bench/lib/lat.c" >&2; exit 1; }
  local work; work="$(mktemp -d)"
  gcc -O2 -o "$work/lat" "$bench/lib/lat.c"
  local names=() ports=() pids=() i
  start() { # name port command...
    names+=("$1"); ports+=("$2")
    local name=$1; shift 2
    launch "$name" "$@"
    pids+=("$launched")
  }
  for_each_server start
  trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work" "${tmp:-}"' EXIT
  for i in "${!names[@]}"; do
    wait_port "${ports[$i]}" || { echo "${names[$i]} did not start; see /tmp/bench-${names[$i]}.log" >&2; exit 1; }
  done
  # warmed in turns of at most 10 s: a server left idle for a minute while the others warm would have
  # its app's context closed (limits.idleMs), and a new context runs slow code for ~45 s (bench/README)
  local left=$warmup step
  while [ "$left" -gt 0 ]; do
    step=$(( left < 10 ? left : 10 )); left=$(( left - step ))
    for i in "${!names[@]}"; do
      taskset -c 1 wrk -t1 -c32 -d"${step}s" "http://127.0.0.1:${ports[$i]}$url_path" >/dev/null
    done
  done
  local turns=$1 slice cpu=() sys=() turn t0 s0
  slice=$(awk -v d="$dur" -v n="$turns" 'BEGIN { printf "%.3f", d / n }')
  for turn in $(seq 1 "$turns"); do
    for i in "${!names[@]}"; do
      t0=$(cpu_ticks "${pids[$i]}"); s0=$(sys_ticks "${pids[$i]}")
      taskset -c 1 "$work/lat" "${ports[$i]}" 32 "$slice" "$work/${names[$i]}.$turn.bin" "$url_path" 2>/dev/null
      cpu[i]=$(( ${cpu[i]:-0} + $(cpu_ticks "${pids[$i]}") - t0 ))
      sys[i]=$(( ${sys[i]:-0} + $(sys_ticks "${pids[$i]}") - s0 ))
    done
  done
  kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true
  results=()
  for i in "${!names[@]}"; do
    results+=("$(python3 - "$work" "${names[$i]}" "$turns" "$slice" "${cpu[i]}" "${sys[i]}" "$clk" <<'PY'
import array, glob, sys
work, name, turns, slice_s, cpu, sys_t, clk = sys.argv[1:]
lat = array.array('Q')
for f in glob.glob(f"{work}/{name}.*.bin"):
    d = array.array('Q'); d.frombytes(open(f, 'rb').read()); lat.extend(d[1::2])
n = len(lat); s = sorted(lat)
secs = int(turns) * float(slice_s)
print(name, f"{n / secs:.2f}", f"{s[int(n * 0.99)] / 1e3:.2f}us",
      f"{int(cpu) / int(clk) * 1e6 / n:.2f}", f"{int(sys_t) / int(clk) * 1e6 / n:.2f}")
PY
)")
  done
  rm -rf "$work"
}

echo "app: ${app#"$root"/}$url_path   load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  if [ "${INTERLEAVE:-0}" -gt 0 ]; then
    interleaved "$INTERLEAVE"
  else
    results=()
    measure() { results+=("$(run_one "$@")"); }
    for_each_server measure
  fi
  [ "$rounds" -gt 1 ] && echo "round $round"
  print_table
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
