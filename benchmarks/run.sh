#!/usr/bin/env bash
# Runs the benchmark suite: about 20 minutes on 2 cores.
#
#   bash benchmarks/run.sh                          # a scratch run: benchmarks/results/scratch/<UTC time>/
#   RUN_NAME=try1 bash benchmarks/run.sh DataSectionBenchmark -p tasks=1000   # a named scratch run, a subset
#   CITE=engine-v2 bash benchmarks/run.sh           # the run the docs cite: benchmarks/results/engine-v2/,
#                                                   # then docs/benchmarks.md and .svg regenerated from it
#
# Extra arguments go to JMH (a benchmark regex, -p tasks=1000, ...). A run writes, in its folder,
#   <name>.json         JMH results (with -prof gc)
#   <name>-memory.json  bytes per queued waiter (QueuedWaiterMemory)
#   <name>-env.txt      machine, JDK, commit, load average before and after, commands
# Scratch runs are git-ignored. A cited run (CITE=...) goes to benchmarks/results/<name>/, which
# is committed with the regenerated docs; benchmarks/results/README.md says when to make one.
set -euo pipefail
cd "$(dirname "$0")/.."

source .ci/find-jdk.sh # JAVA_HOME if new enough, else the newest JDK under /usr/lib/jvm
java=$JAVA_HOME/bin/java

if [ -n "${CITE:-}" ]; then
  name=$CITE
  dir=benchmarks/results/$name
  if [ -e "$dir" ]; then
    echo "error: $dir exists; a cited run is never overwritten (remove it, or pick another CITE name)" >&2
    exit 1
  fi
else
  name=${RUN_NAME:-$(date -u +%Y%m%d-%H%M%S)}
  dir=benchmarks/results/scratch/$name
fi
jar=benchmarks/target/benchmarks.jar
mkdir -p "$dir"

echo "bench: building $jar with JDK $(java_major "$JAVA_HOME") at $JAVA_HOME"
./mvnw -q -B -pl benchmarks -am package -DskipTests

load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown; }
jmh_args=(-prof gc -rf json -rff "$dir/$name.json" "$@")
memory_args=("$dir/$name-memory.json" 1000000 5)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n1)
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain --untracked-files=no -- core benchmarks/src 2>/dev/null)" ]; then
  commit="$commit plus uncommitted changes"
fi
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: ${cpu:-unknown CPU}, $(nproc) cores, $(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GB RAM"}'), $(uname -sr)"
  echo "JDK: $("$java" -version 2>&1 | head -n1)"
  echo "commit: $commit ($(git log -1 --format=%s 2>/dev/null || echo unknown))"
  echo "load average before the run: $(load)"
  echo "command: java -jar $jar ${jmh_args[*]}"
  echo "memory command: java -Xms3g -Xmx3g -cp $jar dev.asynclocks.benchmarks.QueuedWaiterMemory ${memory_args[*]}"
} > "$dir/$name-env.txt"
cat "$dir/$name-env.txt"

"$java" -jar "$jar" "${jmh_args[@]}"
"$java" -Xms3g -Xmx3g -cp "$jar" dev.asynclocks.benchmarks.QueuedWaiterMemory "${memory_args[@]}"
echo "load average after the run: $(load)" | tee -a "$dir/$name-env.txt"

if [ -n "${CITE:-}" ]; then
  bash benchmarks/report.sh "$name"
fi
echo "bench: results in $dir/"
