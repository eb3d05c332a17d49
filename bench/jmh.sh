#!/usr/bin/env bash
# JMH micro-benchmarks of NANO's hot paths (src/jmh/java, built with the Maven profile `jmh`): request
# dispatch through the server's pipeline, Headers, Response creation, body reads. See bench/README.md.
# Usage: bench/jmh.sh [JMH options] [benchmark regexps]
#   bench/jmh.sh                      everything, timed as src/jmh/java/dev/nano/jmh/Timing.java says
#   bench/jmh.sh Headers              the benchmarks whose name matches
#   bench/jmh.sh -wi 5 -i 10 -f 2 Dispatch.helloGet   your own JMH options (then JMH_OPTS is not used)
#   bench/jmh.sh -l                   list them;  bench/jmh.sh -h: JMH's options
#   JMH_OPTS   options used when none is given (default: none, i.e. src/jmh/.../Timing.java: one fork,
#              12 x 5 s warm-up, 5 x 2 s measured; about 75 s per benchmark, 35 min for all)
#   NANO_JIT=0 forks run interpreted (no Graal JIT), for JIT ÷ interpreted ratios
#   JMH_HEAP   heap of each forked JVM (default 1g)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/jdk.sh
. "$root/scripts/jdk.sh"
use_jdk25 || exit 1

echo "jmh: building (mvn -Pjmh package) ..." >&2
log="$root/target.jmh-build.log"
if ! (cd "$root" && mvn -q -B -Pjmh package -Dmaven.test.skip=true >"$log" 2>&1); then
  tail -30 "$log" >&2
  echo "jmh: build failed; see $log" >&2
  exit 1
fi
rm -f "$log"

t="$root/target"
cp="$t/jmh-classes:$t/nano.jar:$t/lib/*:$t/jmh-lib/*"
heap="${JMH_HEAP:-1g}"
# The forks start like ./nano: the Graal JIT on the upgrade module path, JDK 25's warnings silenced.
fork=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow "-Xms$heap" "-Xmx$heap")
if [ "${NANO_JIT:-1}" != "0" ]; then
  fork+=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "--upgrade-module-path=$t/jvmci")
else
  cp="$cp:$t/jvmci/*"
  fork+=(-Dnano.bench.interpreted=true)
fi

args=("$@")
has_option=0
for a in "$@"; do
  case "$a" in -*) has_option=1 ;; esac
done
if [ "$has_option" = 0 ]; then
  # shellcheck disable=SC2206
  args=(${JMH_OPTS:-} "$@")
fi

echo "jmh: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; JIT $([ "${NANO_JIT:-1}" != 0 ] && echo on || echo off)" >&2
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -cp "$cp" \
  org.openjdk.jmh.Main -jvmArgs "${fork[*]}" "${args[@]}"
echo "jmh: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end" >&2
