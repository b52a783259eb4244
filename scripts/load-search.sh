#!/usr/bin/env bash
# Times the staff case search at a province's size (issue 18): a fresh SQLite database that the host creates and
# leaves (with its personal-data key file), CASES cases of a year seeded into it while the host is stopped
# (encrypted applicants with real blind indexes), then REQUESTS searches each by a whole case number, by a day's
# case numbers, by ID number and by phone, as the hall's window clerk. Loopback only.
#   PORT=5080 CASES=1000000 REQUESTS=300 RUNS=3 bash scripts/load-search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5080}; CASES=${CASES:-1000000}; REQUESTS=${REQUESTS:-300}
url=http://127.0.0.1:$PORT
data=$(mktemp -d /tmp/govflow-search.XXXXXX)
dotnet build -c Release src/Host -v q -p:SkipClientApp=true >/dev/null
dotnet build -c Release tests/GovFlow.LoadDriver -v q -p:SkipClientApp=true >/dev/null
if curl -s -o /dev/null "$url/"; then echo "something already listens on $url; stop it first" >&2; exit 1; fi
host() { GOVFLOW_DATA_DIR=$data GovFlow__DemoCases=0 GovFlow__Scheduler__SweepSeconds=30 Serilog__MinimumLevel__Default=Warning \
  dotnet src/Host/bin/Release/net10.0/GovFlow.Host.dll --urls "$url" >"$data/host.log" 2>&1 & echo $!; }
wait_up() { for _ in $(seq 120); do curl -sf "$url/health" >/dev/null && return 0; sleep 1; done; cat "$data/host.log"; return 1; }
pid=$(host); trap 'kill $pid 2>/dev/null || true' EXIT; wait_up
kill $pid; wait $pid 2>/dev/null || true
dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll seed-cases "$data/govflow.db" "$CASES"
pid=$(host); wait_up
# The issue's figure is the median of three runs: RUNS timed passes over the same seeded cases.
for _ in $(seq "${RUNS:-3}"); do dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll search "$url" "$REQUESTS" "$CASES"; done
kill $pid; wait $pid 2>/dev/null || true
rm -rf "$data"
