#!/usr/bin/env bash
# Process start: from launching the server to its first 200 response, NANO beside bun, workerd and
# deno, in one run. Each serves bench/apps/hello.js pinned to core 0; the poller (core 1) spawns it
# and sends a request every ~2 ms. Prints the median over ROUNDS of the wall time and of the
# process's CPU time by then (all its threads; the steadier figure on a shared machine), and NANO's
# ratios to each peer.
#   nano        ./nano serve: Graal JIT on the linked runtime image (target/jdk), with the JDK AOT
#               cache that ./nano builds once per build (target/nano-jit.aot)
#   nano-upgrade NANO_IMAGE=0: Graal JIT on --upgrade-module-path, which rules out any AOT cache
#   nano-int    NANO_JIT=0 NANO_AOT=0: interpreted, no AOT cache
#   nano-aot    NANO_JIT=0: interpreted, with the JDK AOT cache (target/nano.aot)
# Usage: bench/process-start.sh [rounds]   (default 5)
#   RUNTIMES="nano nano-upgrade nano-int nano-aot bun workerd deno"
#   SUMMARY=file     append "metric runtime value" lines for bench/all.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
rounds="${1:-5}"
runtimes="${RUNTIMES:-nano nano-upgrade nano-int nano-aot bun workerd deno}"
[ -x "$bench/node_modules/.bin/workerd" ] && [ -x "$bench/node_modules/.bin/bun" ] && [ -x "$bench/node_modules/.bin/deno" ] ||
  (cd "$bench" && npm install --silent --no-audit --no-fund >/dev/null)
"$root/nano" version >/dev/null                  # builds when stale
NANO_JIT=0 "$root/nano" version >/dev/null        # builds the interpreter's AOT cache when missing
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp "$bench/apps/hello.js" "$tmp/hello.js"
port=28580
cat >"$tmp/hello.capnp" <<EOF
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = (modules = [(name = "worker", esModule = embed "hello.js")], compatibilityDate = "2024-01-01")) ],
  sockets = [ (name = "http", address = "127.0.0.1:$port", http = (), service = "main") ]
);
EOF

command_of() { # runtime -> the command line, pinned to core 0
  case $1 in
    nano) echo "taskset -c 0 $root/nano serve --no-watch --port $port $tmp/hello.js" ;;
    nano-upgrade) echo "env NANO_IMAGE=0 taskset -c 0 $root/nano serve --no-watch --port $port $tmp/hello.js" ;;
    nano-int) echo "env NANO_JIT=0 NANO_AOT=0 taskset -c 0 $root/nano serve --no-watch --port $port $tmp/hello.js" ;;
    nano-aot) echo "env NANO_JIT=0 taskset -c 0 $root/nano serve --no-watch --port $port $tmp/hello.js" ;;
    bun) echo "env PORT=$port taskset -c 0 $bench/node_modules/.bin/bun $tmp/hello.js" ;;
    workerd) echo "taskset -c 0 $bench/node_modules/.bin/workerd serve $tmp/hello.capnp" ;;
    deno) echo "taskset -c 0 $bench/node_modules/.bin/deno serve --port $port $tmp/hello.js" ;;
    *) echo "unknown runtime $1" >&2; exit 2 ;;
  esac
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
declare -A ms cpu
for round in $(seq 1 "$rounds"); do
  for rt in $runtimes; do # interleaved, so that a change in machine load hits every runtime alike
    # shellcheck disable=SC2046
    out=$(taskset -c 1 node "$bench/lib/start.mjs" "$port" 120 $(command_of "$rt"))
    ms[$rt]+="$(echo "$out" | jq .ms) "
    cpu[$rt]+="$(echo "$out" | jq .cpu) "
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
peers=""
for rt in $runtimes; do case $rt in nano*) ;; *) peers+="$rt " ;; esac; done
printf '\nprocess start to first 200, median of %d (ms)\n%-12s %10s %10s' "$rounds" runtime wall cpu
for p in $peers; do printf ' %12s' "wall ÷ $p"; done
printf '\n'
for rt in $runtimes; do
  w=$(echo "${ms[$rt]}" | median); c=$(echo "${cpu[$rt]}" | median)
  [ -n "${SUMMARY:-}" ] && printf 'process_start_ms %s %s\nprocess_start_cpu_ms %s %s\n' "$rt" "$w" "$rt" "$c" >>"$SUMMARY"
  printf '%-12s %10s %10s' "$rt" "$w" "$c"
  for p in $peers; do
    case $rt in
      nano*) printf ' %11.1fx' "$(awk -v a="$w" -v b="$(echo "${ms[$p]}" | median)" 'BEGIN { print a / b }')" ;;
      *) printf ' %12s' - ;;
    esac
  done
  printf '\n'
done
