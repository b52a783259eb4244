#!/usr/bin/env bash
# Measures GovFlow on this machine: durable case submissions and task completions per second (SQLite),
# then the inbox's first page with 1,000,000 open tasks. Loopback only; bounded counts. The measured runs follow an
# unmeasured warm-up of WARMUP cases: the host's JIT takes about 10,000 requests to settle.
#   PROVIDER=postgres   submissions and completions on a throwaway PostgreSQL server instead (no inbox seeding)
#   INLINE=false        leave service calls to the scheduler's sweep instead of delivering them in the request
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-20000}; WARMUP=${WARMUP:-6000}; CONCURRENCY=${CONCURRENCY:-16}; TASKS=${TASKS:-1000000}
data=$(mktemp -d /tmp/govflow-load.XXXXXX)
dotnet build -c Release src/Host -v q >/dev/null
dotnet build -c Release tests/GovFlow.LoadDriver -v q >/dev/null
DB_ARGS=()
if [ "${PROVIDER:-sqlite}" = postgres ]; then
  source scripts/postgres.sh start
  DB_ARGS=(--provider postgres --connection "$GOVFLOW_TEST_PG")
fi
host() { GOVFLOW_DATA_DIR=$data GovFlow__Outbox__DeliverInline=${INLINE:-true} GovFlow__DemoCases=0 GovFlow__Scheduler__SweepSeconds=30 Serilog__MinimumLevel__Default=Warning \
  dotnet src/Host/bin/Release/net10.0/GovFlow.Host.dll "${DB_ARGS[@]}" >"$data/host.log" 2>&1 & echo $!; }
wait_up() { for _ in $(seq 60); do curl -sf http://127.0.0.1:5080/health >/dev/null && return 0; sleep 1; done; cat "$data/host.log"; return 1; }
if curl -s -o /dev/null http://127.0.0.1:5080/; then echo "something already listens on 127.0.0.1:5080; stop it first" >&2; exit 1; fi
pid=$(host); trap 'kill $pid 2>/dev/null || true; [ "${PROVIDER:-sqlite}" = postgres ] && bash scripts/postgres.sh stop' EXIT; wait_up
dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll cases http://127.0.0.1:5080 "$COUNT" "$CONCURRENCY" "$WARMUP"
kill $pid; wait $pid 2>/dev/null || true
[ "${PROVIDER:-sqlite}" = postgres ] && exit 0
dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll seed-tasks "$data/govflow.db" "$TASKS"
pid=$(host); wait_up
dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll inbox http://127.0.0.1:5080 300

# Metrics for a year of 1,000,000 cases (issue 18), on its own database: see scripts/load-metrics.sh.
kill $pid; wait $pid 2>/dev/null || true
bash scripts/load-metrics.sh
