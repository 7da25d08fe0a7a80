#!/usr/bin/env bash
# Regenerates the tables in docs/benchmarks.md and the chart docs/benchmarks.svg from a cited run
# committed under benchmarks/results/<name>/ (see benchmarks/results/README.md). No benchmark runs.
#
#   bash benchmarks/report.sh engine-v2
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 1 ]; then
  echo "usage: bash benchmarks/report.sh <run name>   (a folder under benchmarks/results/)" >&2
  exit 2
fi
name=$1
dir=benchmarks/results/$name
files=("$dir/$name.json" "$dir/$name-memory.json" "$dir/$name-env.txt")
for f in "${files[@]}"; do
  [ -f "$f" ] || { echo "error: $f is missing" >&2; exit 1; }
done

source .ci/find-jdk.sh
jar=benchmarks/target/benchmarks.jar
./mvnw -q -B -pl benchmarks -am package -DskipTests # the report code of this checkout, never a stale jar
"$JAVA_HOME/bin/java" -cp "$jar" dev.asynclocks.benchmarks.report.MarkdownReport docs/benchmarks.md "${files[@]}"
"$JAVA_HOME/bin/java" -cp "$jar" dev.asynclocks.benchmarks.report.ChartGenerator docs/benchmarks.svg "${files[@]}"
