#!/usr/bin/env bash
# Reproducible-build check: builds asynclocks-core twice, each time in a fresh copy of the working
# tree at a different path, and fails unless the jar, the -sources.jar and the -javadoc.jar come
# out byte-identical. Called by .ci/run after the tests; takes well under a minute.
#
# Copies the files git knows about (tracked, plus untracked ones not ignored), so an uncommitted
# change is checked too. Needs JAVA_HOME at a JDK 21+ (.ci/run sets it). Writes only under $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

work=$(mktemp -d "${TMPDIR:-/tmp}/asynclocks-reproducible.XXXXXX")
trap 'rm -rf "$work"' EXIT

copy_tree() { # $1: target directory
  mkdir -p "$1"
  git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
    | tar --null -T - -cf - | tar -xf - -C "$1"
}

build_core() { # $1: directory to build in
  copy_tree "$1"
  (cd "$1" && ./mvnw -B -q -pl core package -DskipTests)
}

start=$SECONDS
# Different path lengths on purpose: an absolute path leaking into a jar shows up as a difference.
first=$work/first/asynclocks
second=$work/second-build-at-another-path/asynclocks
build_core "$first"
build_core "$second"

status=0
for jar in "$first"/core/target/asynclocks-core-*.jar; do
  name=$(basename "$jar")
  other=$second/core/target/$name
  if [ ! -f "$other" ]; then
    echo "reproducible: $name was built only the first time" >&2
    status=1
  elif cmp -s "$jar" "$other"; then
    echo "reproducible: $name $(sha256sum "$jar" | cut -d' ' -f1)"
  else
    echo "NOT reproducible: $name differs between two builds; entries that differ (size, date, time, CRC, name):" >&2
    diff <(unzip -lv "$jar" | awk 'NR>3 {print $1, $5, $6, $7, $8}') \
         <(unzip -lv "$other" | awk 'NR>3 {print $1, $5, $6, $7, $8}') >&2 || true
    status=1
  fi
done
count=$(find "$first/core/target" -maxdepth 1 -name 'asynclocks-core-*.jar' | wc -l)
if [ "$count" -ne 3 ]; then
  echo "reproducible: expected 3 core jars (jar, sources, javadoc), found $count" >&2
  status=1
fi
echo "reproducible: checked in $((SECONDS - start)) s"
exit "$status"
