#!/usr/bin/env bash
# An idle server's CPU: ./nano serves bench/apps/hello.js, answers one request, then sits idle; after
# SETTLE seconds (the JIT's queue drains), the CPU each of its threads uses over WINDOW seconds.
# Usage: bench/idle-cpu.sh [launcher]   (default: this build's ./nano; e.g. another checkout's nano)
#   SETTLE=30 WINDOW=20 PORT=28598
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
launcher="${1:-$root/nano}"
port="${PORT:-28598}"
tmp="$(mktemp -d)"
"$launcher" serve --no-watch --port "$port" "$root/bench/apps/hello.js" >"$tmp/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.2; done
sleep "${SETTLE:-30}"
# thread name -> user + system clock ticks, summed over threads of the same name
snap() { for t in /proc/$pid/task/*; do echo "$(tr ' ' _ <"$t/comm") $(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "$t/stat")"; done |
  awk '{ a[$1] += $2 } END { for (k in a) print k, a[k] }' | sort; }
snap >"$tmp/a"; sleep "${WINDOW:-20}"; snap >"$tmp/b"
echo "CPU over ${WINDOW:-20} s of idleness, ${SETTLE:-30} s after the first request (load average $(cut -d' ' -f1-3 /proc/loadavg)):"
join "$tmp/a" "$tmp/b" | awk -v hz="$(getconf CLK_TCK)" '{ d = ($3 - $2) * 1000 / hz; t += d; if (d > 0) printf "%8d ms  %s\n", d, $1 } END { printf "%8d ms  total\n", t }'
