#!/usr/bin/env bash
# A proxy passing a large fetched body on unread (`return fetch(upstream)`): the proxy's CPU time per
# MB moved, NANO beside deno (and beside another NANO build with BASE=dir), in one run. The upstream
# (Node, core 1) streams SIZE_KB in 1 KB writes; each proxy is pinned to core 0; curl (core 1) reads
# each body ROUNDS x COUNT times, in turns, so a change in machine load hits every proxy alike.
# Prints the median over the rounds (the first round is warm-up, not counted).
# Usage: bench/pass-through.sh   SIZE_KB=20000 COUNT=10 ROUNDS=6
#   BASE=dir   also run the NANO build in dir (made with mvn -Dnano.buildDir=dir package)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
size_kb="${SIZE_KB:-20000}"
count="${COUNT:-10}"
rounds="${ROUNDS:-6}"
[ -x "$bench/node_modules/.bin/deno" ] || (cd "$bench" && npm install --silent --no-audit --no-fund >/dev/null)
"$root/nano" version >/dev/null # builds when stale
tmp="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

up=28700
cat >"$tmp/upstream.mjs" <<'EOF'
import { createServer } from 'node:http';
const piece = Buffer.alloc(1024, 120);
createServer((req, res) => {
  const n = Number(new URL(req.url, 'http://x').searchParams.get('kb') ?? 1);
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  let i = 0;
  const go = () => { while (i < n) { i++; if (!res.write(piece)) return res.once('drain', go); } res.end(); };
  go();
}).listen(Number(process.argv[2]), '127.0.0.1');
EOF
cat >"$tmp/proxy.js" <<EOF
export default { fetch: (request) => fetch('http://127.0.0.1:$up/' + new URL(request.url).search) };
EOF
taskset -c 1 node "$tmp/upstream.mjs" $up >/dev/null 2>&1 &
pids+=($!)

declare -A port pid
start() { # name port command...
  local name=$1 p=$2; shift 2
  taskset -c 0 "$@" >"$tmp/$name.log" 2>&1 &
  pids+=($!); pid[$name]=$!; port[$name]=$p
  for _ in $(seq 1 600); do curl -s -o /dev/null "http://127.0.0.1:$p/?kb=1" && return; sleep 0.1; done
  echo "$name did not start" >&2; exit 1
}
names="nano"
start nano 28701 "$root/nano" serve --no-watch --no-access-log --port 28701 "$tmp/proxy.js"
if [ -n "${BASE:-}" ]; then
  mkdir -p "$tmp/base"; cp "$root/nano" "$tmp/base/nano"
  ln -s "$root/scripts" "$tmp/base/scripts"; ln -s "$(cd "$BASE" && pwd)" "$tmp/base/target" # no src/: never rebuilds
  start base 28702 "$tmp/base/nano" serve --no-watch --no-access-log --port 28702 "$tmp/proxy.js"
  names+=" base"
fi
start deno 28703 "$bench/node_modules/.bin/deno" serve --allow-net --port 28703 "$tmp/proxy.js"
names+=" deno"

# The process's user + system CPU time in milliseconds (all threads, exited ones included).
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print int(($12 + $13) * 1000 / hz) }' /proc/"$1"/stat; }
declare -A per_mb
for r in $(seq 1 "$rounds"); do
  for n in $names; do
    a=$(cpu_ms "${pid[$n]}")
    for _ in $(seq 1 "$count"); do
      got=$(taskset -c 1 curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:${port[$n]}/?kb=$size_kb")
      [ "$got" = $((size_kb * 1024)) ] || { echo "$n answered $got bytes, not $((size_kb * 1024))" >&2; exit 1; }
    done
    b=$(cpu_ms "${pid[$n]}")
    [ "$r" -gt 1 ] && per_mb[$n]+="$(awk -v c=$((b - a)) -v mb=$((size_kb * count / 1024)) 'BEGIN { printf "%.3f", c / mb }') "
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
deno=$(echo "${per_mb[deno]}" | median)
printf '\npass-through of %d KB bodies, proxy CPU ms per MB (median of %d rounds)\n' "$size_kb" $((rounds - 1))
for n in $names; do
  m=$(echo "${per_mb[$n]}" | median)
  printf '%-6s %8s   ÷ deno %5.2fx\n' "$n" "$m" "$(awk -v a="$m" -v b="$deno" 'BEGIN { print a / b }')"
done
