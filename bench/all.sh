#!/usr/bin/env bash
# Issue 8 items 6-9 side by side in one run: density, cold start, process start, warm-up. Runs
# each script (their own tables go to bench/results/all-<time>.txt and the terminal), then prints one
# table: each metric for NANO's modes and the peers, with NANO's ratio to the best peer.
#   nano       Graal JIT and AOT cache (the default)   nano-int  interpreted, no AOT cache
#   nano-aot   interpreted with the JDK AOT cache (NANO_JIT=0)
# Usage: bench/all.sh   (about 20-40 minutes: density with 5000 apps dominates)
#   QUICK=1   smaller counts (density 1/200 apps, 50 cold starts, 3 start rounds, 30 s warm-up)
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$bench/results"
stamp=$(date -u +%Y%m%dT%H%MZ)
out="$bench/results/all-$stamp.txt"
summary="$bench/results/all-$stamp.summary"
: >"$summary"
export SUMMARY="$summary"
{
  echo "# bench/all.sh $stamp, $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ "${QUICK:-0}" = 1 ]; then
    COUNTS="1 200" NANO_MAX= PROCS="1 5" bash "$bench/density.sh"
    WARM=30 bash "$bench/cold-start.sh" 50
    bash "$bench/process-start.sh" 3
    RUNTIMES="nano deno bun workerd" bash "$bench/warm-up.sh" 30
  else
    bash "$bench/density.sh"
    bash "$bench/cold-start.sh" 200
    bash "$bench/process-start.sh" 5
    RUNTIMES="nano deno bun workerd" bash "$bench/warm-up.sh" 60
  fi
  echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out"

# One table: rows = metrics, columns = runtimes; lower is better for every metric here.
awk '
  { v[$1 SUBSEP $2] = $3; if (!($1 in seen)) { seen[$1] = 1; order[++m] = $1 } }
  END {
    split("nano nano-int nano-aot workerd deno bun", cols, " ")
    printf "\n%-24s", "metric"
    for (c = 1; c <= 6; c++) printf " %10s", cols[c]
    printf " %16s\n", "NANO ÷ best peer"
    for (i = 1; i <= m; i++) {
      k = order[i]; printf "%-24s", k
      best = ""; nano = ""
      for (c = 1; c <= 6; c++) {
        x = v[k SUBSEP cols[c]]; printf " %10s", x == "" ? "-" : x
        if (x == "" || x == "-") continue
        if (c >= 4 && (best == "" || x + 0 < best + 0)) best = x
        if (c <= 3 && (nano == "" || x + 0 < nano + 0)) nano = x
      }
      printf " %16s\n", (best == "" || nano == "" || best + 0 == 0) ? "-" : sprintf("%.1fx", nano / best)
    }
  }' "$summary" | tee -a "$out"
echo "(full output: $out)"
