#!/usr/bin/env bash
# Measures the inbox alone with TASKS open tasks (the last part of scripts/load.sh, on a port of your choice): starts
# the host on a fresh SQLite database, stops it, seeds the tasks (and their tallies) past it, starts it again and
# times the first page and the counts per light. Loopback only.
#   PORT=5080 TASKS=1000000 REQUESTS=300 RUNS=3 bash scripts/load-inbox.sh
#   CASES=2000 also submits and completes that many cases first (16 clients), to see a step's cost with the tallies.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5080}; TASKS=${TASKS:-1000000}; REQUESTS=${REQUESTS:-300}; CASES=${CASES:-0}
url=http://127.0.0.1:$PORT
data=$(mktemp -d /tmp/govflow-inbox.XXXXXX)
dotnet build -c Release -p:SkipClientApp=true src/Host -v q >/dev/null
dotnet build -c Release tests/GovFlow.LoadDriver -v q >/dev/null
driver() { dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll "$@"; }
host() { GOVFLOW_DATA_DIR=$data GovFlow__DemoCases=0 GovFlow__Scheduler__SweepSeconds=30 Serilog__MinimumLevel__Default=Warning \
  dotnet src/Host/bin/Release/net10.0/GovFlow.Host.dll --urls "$url" >>"$data/host.log" 2>&1 & echo $!; }
wait_up() { for _ in $(seq 90); do curl -sf "$url/health" >/dev/null && return 0; sleep 1; done; cat "$data/host.log"; return 1; }
if curl -s -o /dev/null "$url/"; then echo "something already listens on $url; stop it first" >&2; exit 1; fi
pid=$(host); trap 'kill $pid 2>/dev/null || true' EXIT; wait_up
[ "$CASES" -gt 0 ] && driver cases "$url" "$CASES" 16
kill $pid; wait $pid 2>/dev/null || true
driver seed-tasks "$data/govflow.db" "$TASKS"
pid=$(host); wait_up
# The issue's figure is the median of three runs: RUNS timed passes over the same seeded database.
for _ in $(seq "${RUNS:-3}"); do driver inbox "$url" "$REQUESTS"; done
