#!/usr/bin/env bash
# Warm-up A/B on a shared machine: variants of NANO (JVM options, launcher environments, builds) are
# launched AT THE SAME TIME on core 0 and each is loaded, from its first 200 on, by its own wrk on
# core 1 in back-to-back 1-second windows (-t1 -c32, bench/apps/hello.js) for SECONDS. A burst of
# other work on the machine lands on all variants alike; wall times mean little (the variants share
# core 0), so the figures to compare are CPU seconds of each whole process (all threads: the JIT's
# compiler threads share the core with the server):
#   start      launch to the first 200 (wall, and the process CPU by then)
#   steady     CPU/request over the last 10 windows
#   to 90%     process CPU from launch to the first window from which every later window costs
#              <= steady CPU/request / 0.9 (bench/warm-up.sh's load-robust twin)
#   C2 C1      CPU of HotSpot's C2 and C1 compiler threads, at the end
#   rest       the process CPU at the end but C2, C1 and the workers: mostly Truffle's compilers
# Each variant runs on its own hard-linked copy of its build, so each has its own AOT cache, built
# (./nano version) before the race and not counted.
# Usage: bench/warm-up-ab.sh [seconds] 'name=[word ...]' ...   each word a JVM option (-...), an
#   environment variable for ./nano (NAME=value), the build to run (build=dir; default target), another
#   launcher (launcher=file; default ./nano) or scripts folder (scripts=dir: the AOT cache's training), e.g.
#   bench/warm-up-ab.sh 90 base= 'c1=-XX:CompilerDirectivesFile=x.json' 'img=NANO_IMAGE=0'
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
total=60
[[ "${1:-}" =~ ^[0-9]+$ ]] && { total=$1; shift; }
[ $# -gt 0 ] || { sed -n '2,18p' "$0" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }
"$root/nano" version >/dev/null # builds when stale
tmp="$(mktemp -d /tmp/warm-up-ab.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
cp "$root/bench/apps/hello.js" "$tmp/hello.js"
names=() opts=() envs=()
for spec in "$@"; do
  name="${spec%%=*}"; rest="${spec#*=}"
  dir=target opt= env= launcher="$root/nano" scripts="$root/scripts"
  set -f; for w in $rest; do
    case "$w" in -*) opt+=" $w" ;; build=*) dir="${w#build=}" ;; launcher=*) launcher="${w#*=}" ;; scripts=*) scripts="${w#*=}" ;; *=*) env+=" $w" ;; *) echo "bad word $w" >&2; exit 2 ;; esac
  done; set +f
  case "$dir" in /*) ;; *) dir="$root/$dir" ;; esac
  [ -f "$dir/nano.jar" ] || { echo "no nano.jar in $dir" >&2; exit 1; }
  mkdir -p "$tmp/$name"; cp "$launcher" "$tmp/$name/nano"; ln -s "$(cd "$scripts" && pwd)" "$tmp/$name/scripts"
  # Hard links: the launcher replaces its AOT cache by a rename, never writing into a shared file.
  cp -al "$(cd "$dir" && pwd -P)" "$tmp/$name/target"; rm -f "$tmp/$name/target"/*.aot "$tmp/$name/target"/*.aot.opts
  # shellcheck disable=SC2086
  env $env NANO_JAVA_OPTS="$opt" "$tmp/$name/nano" version >/dev/null
  names+=("$name"); opts+=("$opt"); envs+=("$env")
done

clk=$(getconf CLK_TCK)
cpu_ms() { awk -v hz="$clk" '{ sub(/.*\) /, ""); print int(($12 + $13) * 1000 / hz) }' "/proc/$1/stat"; }
now_ms() { date +%s%3N; }
group_ms() { # pid: CPU ms of C2, C1, the workers, and the rest (Truffle's compiler threads, which exit when idle, GC, ...)
  for t in /proc/"$1"/task/*; do
    printf '%s|%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(sed 's/.*) //' "$t/stat" 2>/dev/null)"
  done | awk -F'|' -v hz="$clk" '{ split($2, a, " "); c = (a[12] + a[13]) * 1000 / hz
    if ($1 ~ /^C2 /) c2 += c; else if ($1 ~ /^C1 /) c1 += c; else if ($1 ~ /nano-worker/) w += c }
    END { printf "%d %d %d\n", c2, c1, w }'
  cpu_ms "$1"
}
drive() { # index port: waits for the first 200, then loads it in 1-s windows; one line per window
  local i=$1 port=$2 pid=${pids[$1]} t0=$3 end r
  until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.01; done
  echo "start $(($(now_ms) - t0)) $(cpu_ms "$pid")" >"$tmp/$i.start"
  end=$(($(now_ms) + total * 1000))
  while [ "$(now_ms)" -lt "$end" ]; do
    r=$(taskset -c 1 wrk -t1 -c32 -d1s "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {printf "%d", $2}')
    echo "${r:-0} $(($(now_ms) - t0)) $(cpu_ms "$pid")" >>"$tmp/$i.windows"
  done
  group_ms "$pid" >"$tmp/$i.groups"
}

echo "warm-up A/B, ${#names[@]} variants side by side on core 0, ${total}s of load each; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(now_ms)
port=28700
for i in "${!names[@]}"; do
  # shellcheck disable=SC2086
  env ${envs[$i]} NANO_JAVA_OPTS="${opts[$i]}" taskset -c 0 "$tmp/${names[$i]}/nano" serve --no-watch --no-access-log \
    --port $((port + i)) "$tmp/hello.js" >"$tmp/$i.log" 2>&1 &
  pids+=($!)
done
drivers=()
for i in "${!names[@]}"; do drive "$i" $((port + i)) "$t0" & drivers+=($!); done
wait "${drivers[@]}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %9s %9s %10s %12s %10s %7s %7s %7s  %s\n' variant "start(s)" "CPU(s)" "steady r/s" "steady us/req" "to 90%(s)" "C2(s)" "C1(s)" "rest(s)" options
for i in "${!names[@]}"; do
  read -r _ sw sc <"$tmp/$i.start"
  { read -r c2 c1 w; read -r all; } <"$tmp/$i.groups"
  awk -v n="${names[$i]}" -v sw="$sw" -v sc="$sc" -v c2="$c2" -v c1="$c1" -v j="$((all - c2 - c1 - w))" -v o="${opts[$i]} ${envs[$i]}" '
    { r[NR] = $1; c[NR] = $3 } END {
      n0 = NR; k = n0 < 10 ? n0 : 10; s = 0
      for (i = n0 - k + 1; i <= n0; i++) s += r[i]
      per = s > 0 ? (c[n0] - c[n0 - k]) / s : 0; c[0] = sc; cat = n0
      for (i = n0; i >= 1 && r[i] > 0 && (c[i] - c[i - 1]) / r[i] <= per / 0.9; i--) cat = i
      printf "%-10s %9.2f %9.2f %10.0f %12.2f %10.1f %7.1f %7.1f %7.1f  %s\n", n, sw / 1000, sc / 1000, s / k, per * 1000,
        c[cat] / 1000, c2 / 1000, c1 / 1000, j / 1000, o }' "$tmp/$i.windows"
  [ "${CURVE:-0}" = 1 ] && echo "  ${names[$i]} r/s: $(awk '{printf "%s ", $1}' "$tmp/$i.windows")"
done
