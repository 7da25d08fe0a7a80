# Finds a JDK >= 21 and puts it first on PATH. Sourced, not run, by .ci/run and benchmarks/run.sh:
#
#   source .ci/find-jdk.sh    # sets JAVA_HOME and PATH, defines java_major; fails if none found
#
# Takes JAVA_HOME if it is new enough, else the newest JDK under /usr/lib/jvm.

required_java=21

java_major() { # prints the feature version of the java binary under $1, or 0
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1)
  v=${v#1.}
  echo "${v:-0}"
}

pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge "$required_java" ]; then
    echo "$JAVA_HOME"; return
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/javac" ] || continue
    v=$(java_major "$d")
    if [ "$v" -gt "$best_v" ]; then best=$d; best_v=$v; fi
  done
  if [ "$best_v" -ge "$required_java" ]; then echo "$best"; return; fi
  echo "error: no JDK >= $required_java found (JAVA_HOME=${JAVA_HOME:-unset}; looked under /usr/lib/jvm)" >&2
  return 1
}

JAVA_HOME=$(pick_jdk)
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
