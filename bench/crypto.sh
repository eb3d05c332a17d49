#!/usr/bin/env bash
# WebCrypto operations per second: NANO beside Node's crypto.subtle, in one run on this machine.
# Both run the same module, bench/crypto/ops.js, pinned to core 0 (`taskset -c 0`: Node's thread
# pool and NANO's JIT/GC threads share that core too). Each operation warms up until its rate is
# steady, then is timed; the table gives ops/s (wall clock), ops per CPU-second of the whole
# process (utime+stime from /proc over the timed phase: the fairer figure when other work shares
# the core) and the NANO ÷ node ratios of both. "~" marks a timed phase whose 1-second windows
# differ by more than 10%. Rounds alternate which runtime goes first, so a change in machine load
# does not always favour the same one. "NANO jit": the share of NANO's CPU time in the timed phase
# taken by the JVM's compiler threads (HotSpot C1/C2 and Truffle's), which share the one core. The default batch8 mode keeps 8 calls in flight: Node runs
# subtle calls on its thread pool and gains from overlap, NANO runs them inline and is neutral.
# Usage: bench/crypto.sh [seconds]   (timed seconds per operation, default 5)
#   WARMUP=s       minimum warm-up seconds per operation (default 10); it goes on while the rate
#                  still climbs (NANO's JIT needs tens of seconds on one busy core)
#   MAX_WARMUP=s   warm-up stops here even if the rate still climbs (default 60)
#   MIN_ATTEMPTS=n, ATTEMPTS=m  timed phases per operation: at least n (default 2), then more until
#                  one is steady (1-second windows within 10%), at most m (default 4). The table shows,
#                  of the steady ones, the one where the JVM's compiler threads took the least CPU (for
#                  node, the last steady one); "~" when none was steady (then the last one).
#   MODES="..."    space-separated: seq (await each call) and/or batchN (N calls in flight);
#                  default batch8. "seq batch8" prints both, to see what concurrency changes.
#   ONLY="..."     space-separated operation names (see ops.js), default all
#   ROUNDS=n       repeat the comparison n times (default 1)
#   NANO_BUILD=dir run NANO from that Maven build folder (made with -Dnano.buildDir=dir), through a
#                  copy of ./nano that never rebuilds; default ./nano (rebuilt when stale)
#   NANO_JAVA_OPTS extra JVM options for NANO
#   JCA=1          also time the same operations straight on the JCA of NANO's JDK (bench/crypto/Jca.java,
#                  same calls as NANO's crypto ops): NANO ÷ JCA is the WebCrypto layer's cost
#   RAW=1          also print the JSON lines (with the warm-up rates of every 1-second window)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ops="$root/bench/crypto/ops.js"
seconds="${1:-5}"
rounds="${ROUNDS:-1}"
command -v node >/dev/null || { echo "node is not installed" >&2; exit 1; }
command -v taskset >/dev/null || { echo "taskset (util-linux) is not installed" >&2; exit 1; }

. "$root/scripts/jdk.sh"; use_jdk25  # for JCA=1; ./nano finds its JDK the same way
nano="$root/nano"
if [ -n "${NANO_BUILD:-}" ]; then
  dir="$NANO_BUILD"; case "$dir" in /*) ;; *) dir="$root/$dir" ;; esac
  [ -f "$dir/nano.jar" ] || { echo "no nano.jar in $dir (build with mvn -Dnano.buildDir=$dir package)" >&2; exit 1; }
  tmp="$(mktemp -d)"
  cp "$root/nano" "$tmp/nano"
  ln -s "$root/scripts" "$tmp/scripts"
  ln -s "$dir" "$tmp/target"  # no src/ beside it: the copy never rebuilds
  nano="$tmp/nano"
else
  "$nano" version >/dev/null  # builds when stale, before anything is timed
fi

# ops.js takes its settings from globalThis.CRYPTO_BENCH: one line put before the module, read from stdin.
json_list() { local out="" w; for w in $1; do out="$out${out:+,}\"$w\""; done; echo "[$out]"; }
work="$(mktemp -d)"; trap 'rm -rf "$work" ${tmp:+"$tmp"}' EXIT
{
  echo "globalThis.CRYPTO_BENCH = { seconds: $seconds, warmup: ${WARMUP:-10}, maxWarmup: ${MAX_WARMUP:-60}, minAttempts: ${MIN_ATTEMPTS:-2}, attempts: ${ATTEMPTS:-4}," \
    "modes: $(json_list "${MODES:-batch8}"), only: $([ -n "${ONLY:-}" ] && json_list "$ONLY" || echo null) };"
  cat "$ops"
} >"$work/ops.js"

clk=$(getconf CLK_TCK)
# One sample of a process's CPU ticks (utime+stime), read at once: "total T" for the whole process
# (threads gone included), then "tid T" for each thread that is not a JVM compiler thread.
sample() {
  awk 'FNR == 1 {
      l = index($0, "("); r = 0; for (i = l; i <= length($0); i++) if (substr($0, i, 1) == ")") r = i
      comm = substr($0, l + 1, r - l - 1); split(substr($0, r + 2), f, " ")
      if (FILENAME ~ /task/) { if (comm !~ /Compiler|JVMCI/) print FILENAME, f[12] + f[13] }
      else print "total", f[12] + f[13]
    }' "/proc/$1/stat" /proc/"$1"/task/*/stat 2>/dev/null
}
# CPU seconds between two samples: "cpu jit", jit being the JVM's compiler threads (C1/C2,
# Truffle's): the process's time less that of its other threads, since HotSpot and Truffle stop idle
# compiler threads, whose time then shows only in the total.
cpu_seconds() { { echo "$1" | sed 's/^/0 /'; echo "$2" | sed 's/^/1 /'; } |
  awk -v c="$clk" 'NF == 3 { if ($1 == 0) a[$2] = $3; else b[$2] = $3 }
    END { t = b["total"] - a["total"]; s = t
      for (k in b) if (k != "total") s -= b[k] - (k in a ? a[k] : 0)
      print t / c, (s > 0 ? s : 0) / c }'; }

run_one() { # name command... ; prints the module's result lines as "name {json}", with cpuSeconds added
  local name=$1; shift
  rm -f "$work/out"; mkfifo "$work/out"
  taskset -c 0 "$@" <"$work/ops.js" >"$work/out" 2>"/tmp/bench-crypto-$name.err" &
  local pid=$! line s0="" s1 cpu
  while IFS= read -r line; do  # ./nano execs java and taskset execs the runtime: $pid is the runtime
    case "$line" in
      '{"timing"'*) s0="$(sample $pid)" ;;
      '{"op"'*) s1="$(sample $pid)"; cpu=($(cpu_seconds "$s0" "$s1"))
        echo "$name ${line%\}},\"cpuSeconds\":${cpu[0]},\"jitCpuSeconds\":${cpu[1]}}" ;;
      *) echo "$name: $line" >&2 ;;
    esac
  done <"$work/out"
  wait $pid || { echo "$name failed (exit $?); see /tmp/bench-crypto-$name.err" >&2; return 1; }
}

table() { # reads "name {json}" lines; prints one row per operation and mode
  node -e '
    const rows = new Map(), jca = new Map();
    for (const line of require("fs").readFileSync(0, "utf8").split("\n")) {
      const i = line.indexOf(" ");
      if (i < 0) continue;
      const who = line.slice(0, i), r = JSON.parse(line.slice(i + 1));
      r.jitShare = r.cpuSeconds > 0 ? r.jitCpuSeconds / r.cpuSeconds : 0;
      const key = r.op + " " + r.mode;
      const map = who === "jca" ? jca : rows;
      if (!map.has(key)) map.set(key, { op: r.op, mode: r.mode });
      const row = map.get(key), prev = row[who];
      // Seconds run before this timed phase: the warm-up, then the timed phases before it.
      r.warmupSeconds = r.warmupRates.length + (r.attempt - 1) * r.seconds;
      // Of the steady timed phases the one with the least JIT CPU (ties: the later); else the last one.
      if (!prev || (r.steady ? !prev.steady || r.jitShare <= prev.jitShare : !prev.steady)) row[who] = r;
    }
    const perCpu = (r) => r.cpuSeconds > 0 ? r.calls / r.cpuSeconds : NaN;
    // "~" marks an unsteady timed phase: its 1-second windows differ by more than 10% (JIT, GC or load).
    const rate = (r) => r ? (r.steady ? "" : "~") + r.opsPerSec : "-";
    const ratio = (a, b) => a && b ? (a / b).toFixed(3) + "x" : "-";
    const cols = [["operation", 23], ["mode", 6], ["NANO ops/s", 11], ["node ops/s", 11], ["NANO/node", 9],
      ["NANO ops/cpu-s", 14], ["node ops/cpu-s", 14], ["NANO/node", 9], ["warm-up s", 9], ["NANO jit", 8]];
    if (jca.size) cols.push(["JCA ops/s", 11], ["NANO/JCA", 9]);
    const line = (v) => console.log(v.map((x, i) => i < 2 ? String(x).padEnd(cols[i][1]) : String(x).padStart(cols[i][1])).join(" "));
    line(cols.map((c) => c[0]));
    for (const r of rows.values()) {
      const a = r.nano, b = r.node, j = (jca.get(r.op + " jca") || {}).jca;
      const v = [r.op, r.mode, rate(a), rate(b), ratio(a && a.opsPerSec, b && b.opsPerSec),
        a ? Math.round(perCpu(a)) : "-", b ? Math.round(perCpu(b)) : "-", ratio(a && perCpu(a), b && perCpu(b)),
        (a ? Math.round(a.warmupSeconds) : "-") + "/" + (b ? Math.round(b.warmupSeconds) : "-"),
        a ? Math.round(100 * a.jitShare) + "%" : "-"];
      if (jca.size) v.push(rate(j), ratio(a && a.opsPerSec, j && j.opsPerSec));
      line(v);
    }'
}

echo "node $(node --version), $("$nano" version 2>/dev/null | head -1); timed ${seconds}s per operation; modes: ${MODES:-batch8}; $(nproc) cores, pinned to core 0"
for round in $(seq 1 "$rounds"); do
  load0=$(cut -d' ' -f1 /proc/loadavg)
  if [ $((round % 2)) = 1 ]; then
    a="$(run_one nano "$nano" run -)"; b="$(run_one node node -)"
  else
    a="$(run_one node node -)"; b="$(run_one nano "$nano" run -)"
  fi
  lines="$a"$'\n'"$b"
  [ "${JCA:-0}" = 0 ] || lines="$lines"$'\n'"$(run_one jca "$JAVA_HOME/bin/java" "$root/bench/crypto/Jca.java" \
    "$seconds" "${WARMUP:-10}" "${MAX_WARMUP:-60}" "${MIN_ATTEMPTS:-2}" "${ATTEMPTS:-4}" ${ONLY:-})"
  echo
  echo "round $round/$rounds (load average $load0 -> $(cut -d' ' -f1 /proc/loadavg))"
  echo "$lines" | table
  [ -z "${RAW:-}" ] || echo "$lines"
done
