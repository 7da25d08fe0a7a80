#!/usr/bin/env bash
# Hand-made mutants of the engine, and whether the concurrency suites catch them.
#
#   bash stress-tests/mutants/run.sh                       # every mutant (about 5 minutes each on 2 cores)
#   bash stress-tests/mutants/run.sh stress-tests/mutants/M3-barging-try.patch
#   ONLY=jcstress bash stress-tests/mutants/run.sh ...   # one suite only (lincheck or jcstress)
#
# Each M*.patch breaks one guarantee of the engine in one place, and names in its header the
# Lincheck test classes ("# lincheck: A,B") and the jcstress classes ("# jcstress: regex") that
# must catch it. For each patch this script makes a scratch worktree of HEAD, applies the patch,
# runs those Lincheck tests (core's own unit tests are not run: the point is that the concurrency
# suites catch the mutant by themselves) and then those jcstress classes, and reports per suite:
# CAUGHT (a failure, an error or a hang), or MISSED. It exits non-zero if any mutant is missed by
# both suites. Logs: stress-tests/target/mutants/<mutant>-{lincheck,jcstress}.log.
# docs/verification.md records the last run's table.
set -uo pipefail
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$root"
source .ci/find-jdk.sh
out=$root/stress-tests/target/mutants
mkdir -p "$out"
limit=${MUTANT_TIMEOUT:-1200} # seconds per suite; a mutant that hangs a suite past this is caught

patches=("$@")
if [ ${#patches[@]} -eq 0 ]; then
  patches=("$root"/stress-tests/mutants/M*.patch)
fi

verdict() { # exit status and log of a suite run -> its verdict
  if [ "$1" = skipped ]; then
    echo "not run"
    return
  fi
  if grep -q 'COMPILATION ERROR' "$2"; then
    echo "BUILD BROKEN"
    return
  fi
  case $1 in
    0) echo "MISSED" ;;
    124) echo "CAUGHT (hung past ${limit} s)" ;;
    *) echo "CAUGHT" ;;
  esac
}

missed=0
printf '%-28s | %-40s | %-40s\n' mutant lincheck jcstress
for patch in "${patches[@]}"; do
  name=$(basename "$patch" .patch)
  lincheck=$(sed -n 's/^# lincheck: //p' "$patch")
  jcstress=$(sed -n 's/^# jcstress: //p' "$patch")
  work=$(mktemp -d)
  git worktree add -q --detach "$work/tree" HEAD
  if ! git -C "$work/tree" apply "$(realpath "$patch")"; then
    echo "error: $patch does not apply to HEAD" >&2
    git worktree remove --force "$work/tree"
    exit 2
  fi
  lin=skipped
  jcs=skipped
  if [ "${ONLY:-lincheck}" = lincheck ]; then
    (cd "$work/tree" && timeout "$limit" ./mvnw -B -pl stress-tests -am verify -P '!pinning-legacy-locking' \
        -Djcstress.skip=true -Dtest="$lincheck" -Dsurefire.failIfNoSpecifiedTests=false) \
        > "$out/$name-lincheck.log" 2>&1
    lin=$?
  fi
  if [ "${ONLY:-jcstress}" = jcstress ]; then
    (cd "$work/tree" && timeout "$limit" ./mvnw -B -pl stress-tests -am verify -P '!pinning-legacy-locking' \
        -DskipTests -Djcstress.skip=false -Djcstress.filter="$jcstress") \
        > "$out/$name-jcstress.log" 2>&1
    jcs=$?
  fi
  git worktree remove --force "$work/tree"
  rm -rf "$work"
  printf '%-28s | %-40s | %-40s\n' "$name" "$(verdict $lin "$out/$name-lincheck.log") ($lincheck)" "$(verdict $jcs "$out/$name-jcstress.log") ($jcstress)"
  caught=0
  for status in "$lin" "$jcs"; do
    if [ "$status" != skipped ] && [ "$status" -ne 0 ]; then
      caught=1
    fi
  done
  if [ $caught -eq 0 ]; then
    missed=$((missed + 1))
  fi
done
exit $((missed > 0))
