#!/usr/bin/env bash
# Outbound fetch() throughput: one proxy app (bench/apps/proxy.js) that fetches a local upstream per
# request, on NANO, `deno serve` and workerd, in one run on this machine. The proxy is pinned to core 0;
# wrk and the upstream (a small Node server) share core 1, the same for every runtime. Prints req/s,
# p99 and the proxy's CPU time per request (utime+stime from /proc ÷ requests), each beside deno's.
# Usage: bench/fetch-proxy.sh [duration-seconds]   (default 10)
#   WARMUP=s      warm-up seconds before each measured run (default 60: NANO reaches full speed only after
#                 about a minute of this load, while its JIT compiles the fetch path)
#   CONNS=n       wrk connections (default 32)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
dur="${1:-10}"
warmup="${WARMUP:-60}"
conns="${CONNS:-32}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -x "$bench/node_modules/.bin/deno" ] && [ -x "$bench/node_modules/.bin/workerd" ] \
  || (cd "$bench" && npm install --silent --no-audit --no-fund >/dev/null)
. "$root/scripts/jdk.sh"; use_jdk25
"$root/nano" version >/dev/null  # builds when stale

tmp="$(mktemp -d)"
upstream_pid=
cleanup() { [ -n "$upstream_pid" ] && kill "$upstream_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

up_port=18099
taskset -c 1 node "$bench/apps/upstream.mjs" $up_port >/tmp/bench-upstream.log 2>&1 &
upstream_pid=$!
sed "s#__UPSTREAM__#http://127.0.0.1:$up_port/#" "$bench/apps/proxy.js" >"$tmp/proxy.js"
cat >"$tmp/workerd.capnp" <<CAPNP
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .proxy),
    (name = "upstream", network = (allow = ["local", "private", "public"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:18092", http = (), service = "main") ],
);
const proxy :Workerd.Worker = (
  modules = [ (name = "proxy.js", esModule = embed "proxy.js") ],
  compatibilityDate = "2025-01-01",
  globalOutbound = "upstream",
);
CAPNP

clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
wait_port() { for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/" >/dev/null && return 0; sleep 0.1; done; return 1; }
wait_port $up_port || { echo "the upstream did not start; see /tmp/bench-upstream.log" >&2; exit 1; }

run_one() { # name port command...
  local name=$1 port=$2; shift 2
  taskset -c 0 "$@" >/tmp/bench-proxy-$name.log 2>&1 &
  local pid=$!
  if ! wait_port "$port"; then echo "$name did not start; see /tmp/bench-proxy-$name.log" >&2; kill $pid; return 1; fi
  local body; body=$(curl -s "http://127.0.0.1:$port/")
  [ "$body" = "Hello World" ] || { echo "$name answered '$body'" >&2; kill $pid; return 1; }
  taskset -c 1 wrk -t1 -c"$conns" -d"${warmup}s" "http://127.0.0.1:$port/" >/dev/null
  local t0; t0=$(cpu_ticks $pid)
  local out; out=$(taskset -c 1 wrk -t1 -c"$conns" -d"${dur}s" --latency "http://127.0.0.1:$port/")
  local t1; t1=$(cpu_ticks $pid)
  kill $pid; wait $pid 2>/dev/null || true
  local rps reqs p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  [ -n "$errors" ] && echo "$name: $errors" >&2
  local us; us=$(awk -v t=$((t1 - t0)) -v c="$clk" -v r="$reqs" 'BEGIN { printf "%.2f", t / c * 1e6 / r }')
  echo "$name $rps $p99 $us"
}

results=()
results+=("$(run_one nano 18090 "$root/nano" serve --port 18090 --no-access-log "$tmp/proxy.js")")
results+=("$(run_one deno 18091 "$bench/node_modules/.bin/deno" serve --allow-net --port 18091 "$tmp/proxy.js")")
results+=("$(run_one workerd 18092 "$bench/node_modules/.bin/workerd" serve "$tmp/workerd.capnp")")

printf '\n%-8s %12s %10s %12s %12s %10s\n' runtime req/s p99 "cpu us/req" "req/s ÷deno" "cpu ÷deno"
deno=$(printf '%s\n' "${results[@]}" | awk '$1=="deno" {print $2, $4}')
for r in "${results[@]}"; do
  set -- $r
  printf '%-8s %12s %10s %12s %11.2fx %9.2fx\n' "$1" "$2" "$3" "$4" \
    "$(awk -v a="$2" -v b="${deno% *}" 'BEGIN { print a / b }')" "$(awk -v a="$4" -v b="${deno#* }" 'BEGIN { print a / b }')"
done
