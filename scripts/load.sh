#!/usr/bin/env bash
# Measures GovFlow on this machine: durable case submissions and task completions per second (SQLite),
# then the inbox's first page with 1,000,000 open tasks. Loopback only; bounded counts.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-600}; CONCURRENCY=${CONCURRENCY:-16}; TASKS=${TASKS:-1000000}
data=$(mktemp -d /tmp/govflow-load.XXXXXX)
dotnet build -c Release src/Host -v q >/dev/null
dotnet build -c Release tests/GovFlow.LoadDriver -v q >/dev/null
host() { GOVFLOW_DATA_DIR=$data GovFlow__DemoCases=0 GovFlow__Scheduler__SweepSeconds=30 Logging__LogLevel__Default=Warning \
  dotnet src/Host/bin/Release/net10.0/GovFlow.Host.dll >"$data/host.log" 2>&1 & echo $!; }
wait_up() { for _ in $(seq 60); do curl -sf http://127.0.0.1:5080/health >/dev/null && return 0; sleep 1; done; cat "$data/host.log"; return 1; }
pid=$(host); trap 'kill $pid 2>/dev/null || true' EXIT; wait_up
dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll cases http://127.0.0.1:5080 "$COUNT" "$CONCURRENCY"
kill $pid; wait $pid 2>/dev/null || true
dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll seed-tasks "$data/govflow.db" "$TASKS"
pid=$(host); wait_up
dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll inbox http://127.0.0.1:5080 300
