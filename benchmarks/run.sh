#!/usr/bin/env bash
# Runs the benchmark suite and regenerates the report: about 15 minutes on 2 cores.
#
#   bash benchmarks/run.sh                      # everything; results named by UTC time
#   RUN_NAME=jdk25 bash benchmarks/run.sh       # results/jdk25.json, results/jdk25-memory.json, ...
#   UPDATE_DOCS=no bash benchmarks/run.sh UncontendedBenchmark   # a subset, docs left alone
#
# Extra arguments go to JMH (a benchmark regex, -p tasks=1000, ...). Writes
#   benchmarks/results/<name>.json         JMH results (with -prof gc)
#   benchmarks/results/<name>-memory.json  bytes per queued waiter (QueuedWaiterMemory)
#   benchmarks/results/<name>-env.txt      machine, JDK, load, command
# and, unless UPDATE_DOCS=no, the tables in docs/benchmarks.md and the chart docs/benchmarks.svg.
set -euo pipefail
cd "$(dirname "$0")/.."

required=21

java_major() { # prints the feature version of the java binary under $1, or 0
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1)
  v=${v#1.}
  echo "${v:-0}"
}

pick_jdk() { # JAVA_HOME if new enough, else the newest JDK under /usr/lib/jvm (as .ci/run does)
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge "$required" ]; then
    echo "$JAVA_HOME"; return
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/javac" ] || continue
    v=$(java_major "$d")
    if [ "$v" -gt "$best_v" ]; then best=$d; best_v=$v; fi
  done
  if [ "$best_v" -ge "$required" ]; then echo "$best"; return; fi
  echo "error: no JDK >= $required found (JAVA_HOME=${JAVA_HOME:-unset}; looked under /usr/lib/jvm)" >&2
  return 1
}

JAVA_HOME=$(pick_jdk)
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
java=$JAVA_HOME/bin/java

name=${RUN_NAME:-$(date -u +%Y%m%d-%H%M%S)}
results=benchmarks/results
jar=benchmarks/target/benchmarks.jar
mkdir -p "$results"

echo "bench: building $jar with JDK $(java_major "$JAVA_HOME") at $JAVA_HOME"
./mvnw -q -B -pl benchmarks -am package -DskipTests

jmh_args=(-prof gc -rf json -rff "$results/$name.json" "$@")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n1)
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: ${cpu:-unknown CPU}, $(nproc) cores, $(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GB RAM"}'), $(uname -sr)"
  echo "JDK: $("$java" -version 2>&1 | head -n1)"
  echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
  echo "command: java -jar $jar ${jmh_args[*]}"
  echo "memory command: java -Xms3g -Xmx3g -cp $jar dev.asynclocks.benchmarks.QueuedWaiterMemory $results/$name-memory.json 1000000 5"
} > "$results/$name-env.txt"
cat "$results/$name-env.txt"

"$java" -jar "$jar" "${jmh_args[@]}"
"$java" -Xms3g -Xmx3g -cp "$jar" dev.asynclocks.benchmarks.QueuedWaiterMemory \
  "$results/$name-memory.json" 1000000 5
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" >> "$results/$name-env.txt"

if [ "${UPDATE_DOCS:-yes}" != no ]; then
  files=("$results/$name.json" "$results/$name-memory.json" "$results/$name-env.txt")
  "$java" -cp "$jar" dev.asynclocks.benchmarks.report.MarkdownReport docs/benchmarks.md "${files[@]}"
  "$java" -cp "$jar" dev.asynclocks.benchmarks.report.ChartGenerator docs/benchmarks.svg "${files[@]}"
fi
echo "bench: results in $results/$name*.{json,txt}"
