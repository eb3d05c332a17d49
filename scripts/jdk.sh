#!/usr/bin/env bash
# Sourced by ./nano, ./run-tests and .ci/run: finds a JDK >= 25 and exports JAVA_HOME to it.
# Order: JAVA_HOME if it is >= 25, else the newest JDK >= 25 in the usual install folders.

java_major() { # prints the feature version of the java binary $1, or nothing
  # The JDK's release file answers without starting a JVM (that costs a launch ~0.1-0.3 s); else ask java.
  local v
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$(dirname "$1")/../release" 2>/dev/null)"
  [ -n "$v" ] && { echo "$v"; return; }
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}

find_jdk() {
  local v
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && v="$(java_major "$JAVA_HOME/bin/java")" && [ -n "$v" ] && [ "$v" -ge 25 ]; then
    echo "$JAVA_HOME"; return
  fi
  local best="" best_v=0 d
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$d/bin/java" ] && [ -x "$d/bin/javac" ] || continue
    v="$(java_major "$d/bin/java")"
    if [ -n "$v" ] && [ "$v" -ge 25 ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  echo "$best"
}

use_jdk25() { # exports JAVA_HOME, or prints what is missing and returns 1
  local jdk
  jdk="$(find_jdk)"
  if [ -z "$jdk" ]; then
    echo "nano: no JDK 25 or newer found (looked at JAVA_HOME and /usr/lib/jvm, /usr/java, /opt/java, ~/.sdkman)." >&2
    echo "nano: install one (e.g. Temurin 25) and/or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
}
