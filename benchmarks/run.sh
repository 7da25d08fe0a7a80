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

source .ci/find-jdk.sh # JAVA_HOME if new enough, else the newest JDK under /usr/lib/jvm
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
