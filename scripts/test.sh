#!/usr/bin/env bash
# Runs every GovFlow test suite and ends with one line "N passed, N failed, N skipped":
# the .NET suites (engine, activities, host, browser) and the web UI's Vitest suite.
# Needs the .NET SDK and Node on PATH; installs chromium (Debian) for the browser tests when it is missing.
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

# The browser tests drive Debian's chromium (and need CJK fonts so screenshots show the Chinese).
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then
  echo "== installing chromium and CJK fonts (Debian packages)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null) || echo "chromium could not be installed; the browser tests will fail"
fi

# Building the host builds the web UI (npm ci + vite build); its unit tests run with Vitest.
echo "== web UI: Vitest"
dotnet build src/Host -c Release --nologo -v q || status=$?
(cd src/Host/ClientApp && npx vitest run --reporter=default --reporter=json --outputFile="$results/vitest.json") || status=$?
# The typed API client must match the committed OpenAPI document (npm run gen:api regenerates it).
(cd src/Host/ClientApp && npm run check:api) || status=$?

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

if [ -f "$results/vitest.json" ]; then
  read -r vp vf vs < <(node -e 'const r=require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests)' "$results/vitest.json")
  passed=$((passed + vp)); failed=$((failed + vf)); skipped=$((skipped + vs))
else
  echo "the Vitest suite wrote no results"; failed=$((failed + 1))
fi

# Screenshots of the main pages, taken by the browser tests, are kept with the results.
mkdir -p artifacts/screenshots
cp tests/GovFlow.Browser.Tests/bin/Release/net10.0/screenshots/*.png artifacts/screenshots/ 2>/dev/null && echo "screenshots in artifacts/screenshots"

if [ "$files" -eq 0 ]; then
  echo "no test results were written"; failed=$((failed + 1))
elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status although no test failed (build or runner error)"; failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
