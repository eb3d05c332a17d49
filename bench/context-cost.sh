#!/usr/bin/env bash
# Context creation time and heap per context on the shared engine, JIT on and off.
# Usage: bench/context-cost.sh [contexts] [--by-script]   (default 300; --by-script: heap each bootstrap
#   script adds, and the classes that make up a context)
#   bench/context-cost.sh 200 --cpu-by-script 1500: thread CPU per context of each bootstrap script, over
#   200 contexts built after 1,500 others (how warm context building is by then; bench/README.md)
#   JIT=on|off       only that mode (default: both)
#   NANO_JAVA_OPTS   extra JVM options (e.g. -XX:+UseCompactObjectHeaders)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/jdk.sh"; use_jdk25
[ -f "$root/target/nano.jar" ] || (cd "$root" && mvn -q -B package -DskipTests)
common=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx2g)
cp="$root/target/nano.jar:$root/target/lib/*"
# shellcheck disable=SC2206
common+=(${NANO_JAVA_OPTS:-})
if [ "${JIT:-on}" = on ]; then
  echo "== JIT on"
  java "${common[@]}" -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "--upgrade-module-path=$root/target/jvmci" \
    -cp "$cp" "$root/bench/ContextCost.java" "${1:-300}" "${@:2}"
fi
if [ "${JIT:-off}" = off ]; then
  echo "== JIT off"
  java "${common[@]}" -cp "$cp:$root/target/jvmci/*" "$root/bench/ContextCost.java" "${1:-300}" "${@:2}"
fi
