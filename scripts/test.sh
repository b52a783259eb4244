#!/usr/bin/env bash
# Runs every GovFlow test suite and ends with one line "N passed, N failed, N skipped".
# Installs nothing on its own that the repository cannot describe: the .NET SDK must be on PATH.
set -uo pipefail
cd "$(dirname "$0")/.."

results=$(mktemp -d /tmp/govflow-tests.XXXXXX)
status=0

# The PostgreSQL tests need a real server: start one for this run and stop it at the end.
if [ -z "${GOVFLOW_TEST_PG:-}" ]; then
  if source scripts/postgres.sh start; then
    trap 'bash scripts/postgres.sh stop' EXIT
  else
    echo "PostgreSQL is not available; its tests will report as skipped"
  fi
fi

echo "== dotnet test (results in $results)"
dotnet test GovFlow.sln -c Release --nologo --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" || status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(get total); executed=$(get executed); p=$(get passed)
  f=$(( $(get failed) + $(get error) + $(get timeout) + $(get aborted) ))
  passed=$((passed + ${p:-0})); failed=$((failed + f)); skipped=$((skipped + ${total:-0} - ${executed:-0}))
done

if [ "$files" -eq 0 ]; then
  echo "no test results were written"; failed=$((failed + 1))
elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status although no test failed (build or runner error)"; failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
