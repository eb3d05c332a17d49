#!/usr/bin/env bash
# Density: what one more app costs in memory, NANO beside workerd, deno and bun, in one run.
# Each runtime starts with N distinct apps (each its own module text, answering "app <i>"), every
# app gets one request, and the process's RSS is read from /proc after a short settle. The marginal
# cost per app is (RSS_N - RSS_1) / (N - 1).
#   NANO     one process, apps routed by Host (app-<i>.localhost) from a generated nano.json
#   workerd  one process, one worker per app, each on its own socket (workerd routes by socket)
#   deno/bun neither hosts isolated apps side by side in one process (`deno serve` and `bun` serve one
#            module; importing many modules into one isolate shares globals), so an app is a process:
#            N processes, memory summed as PSS (shared pages split between the processes that map them)
# Servers run pinned to core 0 (taskset), the client on core 1.
# Usage: bench/density.sh
#   COUNTS="1 1000"      app counts for NANO and workerd (default); NANO_MAX=5000 adds one more for NANO
#   PROCS="1 20"         process counts for deno and bun
#   RUNTIMES="nano workerd deno bun"
#   WORKERS=1            NANO's JS worker threads (an app has a context per worker it ran on)
#   NANO_JAVA_OPTS       extra JVM options for NANO
#   HISTO=1              save NANO's class histogram at its largest count in bench/results/
#   SUMMARY=file         append "metric runtime value" lines for bench/all.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
counts="${COUNTS:-1 1000}"
nano_max="${NANO_MAX-5000}"
procs="${PROCS:-1 20}"
runtimes="${RUNTIMES:-nano workerd deno bun}"
workers="${WORKERS:-1}"
[ -x "$bench/node_modules/.bin/workerd" ] && [ -x "$bench/node_modules/.bin/bun" ] && [ -x "$bench/node_modules/.bin/deno" ] ||
  (cd "$bench" && npm install --silent --no-audit --no-fund >/dev/null)
"$root/nano" version >/dev/null  # builds when stale
. "$root/scripts/jdk.sh"; use_jdk25  # jcmd
tmp="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

# After the requests, before RSS is read: a settle, the same for every runtime, long enough for one
# of ./nano's native-heap trims (every 2 s)
settle() { sleep 3; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
pss_kb() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup"; }
wait_http() { # url host seconds
  for _ in $(seq 1 $(($3 * 10))); do
    curl -sf -o /dev/null -H "Host: $2" "$1" && return 0
    sleep 0.1
  done
  return 1
}
app_js() { printf 'export default {\n  fetch() {\n    return new Response("app %d\\n");\n  },\n};\n' "$1"; }
hit() { taskset -c 1 node "$bench/lib/hit.mjs" "$@"; }
results=()

nano_run() { # count
  local n=$1 dir="$tmp/nano-$1" port=28180
  mkdir -p "$dir"
  { printf '{ "port": %d, "workers": %d, "apps": [\n' "$port" "$workers"
    for i in $(seq 0 $((n - 1))); do
      app_js "$i" >"$dir/app-$i.js"
      printf '  %s{ "name": "app-%d", "hostnames": ["app-%d.localhost"], "path": "app-%d.js" }\n' \
        "$([ "$i" = 0 ] || echo ,)" "$i" "$i" "$i"
    done
    printf ']}\n'; } >"$dir/nano.json"
  taskset -c 0 "$root/nano" serve --no-watch --no-access-log --config "$dir/nano.json" >"$dir/log" 2>&1 &
  local pid=$!; pids+=("$pid")
  local t0=$SECONDS
  if ! wait_http "http://127.0.0.1:$port/" "app-$((n - 1)).localhost" 600; then
    echo "NANO did not start with $n apps; see $dir/log" >&2; tail -5 "$dir/log" >&2; kill "$pid"; return 1
  fi
  local started=$((SECONDS - t0))
  local out; out=$(hit hosts "$port" "$n")
  settle
  local rss; rss=$(rss_kb "$pid" 2>/dev/null || true)
  [ -n "$rss" ] || { echo "NANO exited with $n apps; see $dir/log" >&2; tail -5 "$dir/log" >&2; return 1; }
  # live heap: after a full GC, young and old generations (or G1's one heap) summed
  "$JAVA_HOME/bin/jcmd" "$pid" GC.run >/dev/null 2>&1 || true
  local heap; heap=$("$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info 2>/dev/null |
    awk '/total/ && !/Metaspace|class space/ { for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); s += v } }
         END { print s + 0 }')
  echo "nano $n apps: live heap $((heap / 1024)) MB, RSS $((rss / 1024)) MB" >&2
  if [ "${HISTO:-0}" = 1 ] && [ "$n" = "$nano_max" ]; then
    mkdir -p "$root/bench/results"
    "$JAVA_HOME/bin/jcmd" "$pid" GC.class_histogram >"$root/bench/results/histogram-$n.txt" 2>&1 || true
    echo "histogram: bench/results/histogram-$n.txt" >&2
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "nano $n 1 $rss $rss ${started}s ${out%% *} rss $heap"
}

workerd_run() { # count
  local n=$1 dir="$tmp/workerd-$1" base=30000
  mkdir -p "$dir"
  { echo 'using Workerd = import "/workerd/workerd.capnp";'
    echo 'const config :Workerd.Config = ('
    echo '  services = ['
    for i in $(seq 0 $((n - 1))); do
      app_js "$i" >"$dir/app-$i.js"
      printf '    (name = "app-%d", worker = (modules = [(name = "worker", esModule = embed "app-%d.js")], compatibilityDate = "2024-01-01")),\n' "$i" "$i"
    done
    echo '  ],'
    echo '  sockets = ['
    for i in $(seq 0 $((n - 1))); do
      printf '    (name = "s%d", address = "127.0.0.1:%d", http = (), service = "app-%d"),\n' "$i" $((base + i)) "$i"
    done
    echo '  ]'
    echo ');'; } >"$dir/config.capnp"
  taskset -c 0 "$bench/node_modules/.bin/workerd" serve "$dir/config.capnp" >"$dir/log" 2>&1 &
  local pid=$!; pids+=("$pid")
  local t0=$SECONDS
  if ! wait_http "http://127.0.0.1:$((base + n - 1))/" x 600; then
    echo "workerd did not start with $n apps; see $dir/log" >&2; tail -5 "$dir/log" >&2; kill "$pid"; return 1
  fi
  local started=$((SECONDS - t0))
  local out; out=$(hit ports "$base" "$n")
  settle
  local rss; rss=$(rss_kb "$pid" 2>/dev/null || true)
  [ -n "$rss" ] || { echo "workerd exited with $n apps; see $dir/log" >&2; tail -5 "$dir/log" >&2; return 1; }
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "workerd $n 1 $rss $rss ${started}s ${out%% *} rss -"
}

process_run() { # runtime count: one process per app
  local rt=$1 n=$2 dir="$tmp/$1-$2" base=31000
  mkdir -p "$dir"
  local mine=()
  for i in $(seq 0 $((n - 1))); do
    local port=$((base + i))
    if [ "$rt" = deno ]; then
      app_js "$i" >"$dir/app-$i.js"
      taskset -c 0 "$bench/node_modules/.bin/deno" serve --quiet --port "$port" "$dir/app-$i.js" >"$dir/log-$i" 2>&1 &
    else
      printf 'export default {\n  port: %d,\n  fetch() {\n    return new Response("app %d\\n");\n  },\n};\n' "$port" "$i" >"$dir/app-$i.js"
      taskset -c 0 "$bench/node_modules/.bin/bun" "$dir/app-$i.js" >"$dir/log-$i" 2>&1 &
    fi
    mine+=($!); pids+=($!)
  done
  for i in $(seq 0 $((n - 1))); do
    wait_http "http://127.0.0.1:$((base + i))/" x 120 || { echo "$rt app $i did not start; see $dir/log-$i" >&2; return 1; }
  done
  local out; out=$(hit ports "$base" "$n")
  settle
  local rss=0 pss=0 p
  for p in "${mine[@]}"; do rss=$((rss + $(rss_kb "$p"))); pss=$((pss + $(pss_kb "$p"))); done
  kill "${mine[@]}" 2>/dev/null || true
  for p in "${mine[@]}"; do wait "$p" 2>/dev/null || true; done
  echo "$rt $n $n $rss $pss - ${out%% *} pss -"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for rt in $runtimes; do
  case $rt in
    nano) list="$counts"; [ -n "$nano_max" ] && list="$list $nano_max"
          for n in $list; do echo "nano: $n apps ..." >&2; results+=("$(nano_run "$n")"); done ;;
    workerd) for n in $counts; do echo "workerd: $n apps ..." >&2; results+=("$(workerd_run "$n")"); done ;;
    deno | bun) for n in $procs; do echo "$rt: $n processes ..." >&2; results+=("$(process_run "$rt" "$n")"); done ;;
    *) echo "unknown runtime $rt" >&2; exit 2 ;;
  esac
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# Marginal cost per app against the runtime's smallest count (RSS for one process, PSS summed for
# many); for NANO also the live heap per app (after a full GC).
printf '\n%-8s %6s %6s %9s %9s %8s %13s %8s %13s\n' runtime apps procs "RSS MB" "PSS MB" start "KB/app marg." "÷ NANO" "heap KB/app"
printf '%s\n' "${results[@]}" | awk '
  { rt[NR] = $1; n[NR] = $2; p[NR] = $3; rss[NR] = $4; pss[NR] = $5; st[NR] = $6; ok[NR] = $7
    mem = ($8 == "pss" ? $5 : $4)
    if (!($1 in base)) { base[$1] = mem; baseN[$1] = $2; baseH[$1] = $9 }
    hm[NR] = ($9 != "-" && $2 > baseN[$1]) ? sprintf("%.0f", ($9 - baseH[$1]) / ($2 - baseN[$1])) : "-"
    marg[NR] = ($2 > baseN[$1]) ? (mem - base[$1]) / ($2 - baseN[$1]) : -1
    if ($1 == "nano" && marg[NR] > 0 && $2 <= 1000) nano = marg[NR] }
  END {
    for (i = 1; i <= NR; i++) {
      m = marg[i] < 0 ? "-" : sprintf("%.0f", marg[i])
      r = (marg[i] < 0 || !nano) ? "-" : sprintf("%.1fx", marg[i] / nano)
      printf "%-8s %6d %6d %9.1f %9.1f %8s %13s %8s %13s%s\n", rt[i], n[i], p[i], rss[i] / 1024, pss[i] / 1024, st[i], m, r, hm[i],
        ok[i] == "ok" ? "" : "  (requests failed)"
      if (summary != "" && marg[i] >= 0 && (rt[i] != "nano" || n[i] <= 1000)) last[rt[i]] = m
      if (summary != "" && rt[i] == "nano" && marg[i] >= 0) printf "density_rss_mb_%d_apps nano %.0f\n", n[i], rss[i] / 1024 >> summary
    }
    for (k in last) printf "density_kb_per_app %s %s\n", k, last[k] >> summary
  }' summary="${SUMMARY:-}"
