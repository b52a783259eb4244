#!/usr/bin/env bash
# Measures GovFlow on this machine: durable case submissions and task completions per second (SQLite),
# then the inbox's first page with 1,000,000 open tasks. Loopback only; bounded counts. The measured runs follow an
# unmeasured warm-up of WARMUP cases: the host's JIT takes about 10,000 requests to settle.
#   PROVIDER=postgres   submissions and completions on a throwaway PostgreSQL server instead (no inbox seeding)
#   INLINE=false        leave service calls to the scheduler's sweep instead of delivering them in the request
#   PORT=5080           the (first) host's port; a PostgreSQL server started here takes GOVFLOW_PG_PORT (55432)
#   NODES=2             two host processes on one PostgreSQL database (PROVIDER=postgres), the second on PORT+1; the
#                       driver spreads its clients over both and prints the completed steps per second overall
#   HOST_DLL=path       measure another build of the host (a "before"), e.g. main's bin/Release/net10.0/GovFlow.Host.dll
#   PROFILE=1           sample each process's CPU (pidstat, else top) during the measured run into the data folder
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-20000}; WARMUP=${WARMUP:-6000}; CONCURRENCY=${CONCURRENCY:-16}; TASKS=${TASKS:-1000000}
PORT=${PORT:-5080}; NODES=${NODES:-1}
if [ "$NODES" -gt 1 ] && [ "${PROVIDER:-sqlite}" != postgres ]; then echo "NODES=$NODES needs PROVIDER=postgres: SQLite has one host" >&2; exit 1; fi
data=$(mktemp -d /tmp/govflow-load.XXXXXX)
dotnet build -c Release -p:SkipClientApp=true src/Host -v q >/dev/null
dotnet build -c Release tests/GovFlow.LoadDriver -v q >/dev/null
DB_ARGS=()
if [ "${PROVIDER:-sqlite}" = postgres ]; then
  source scripts/postgres.sh start
  DB_ARGS=(--provider postgres --connection "$GOVFLOW_TEST_PG")
fi
# The nodes share the data folder: the demo SM4 key made by the first is the one the second must encrypt with.
host() { GOVFLOW_DATA_DIR=$data GovFlow__Outbox__DeliverInline=${INLINE:-true} GovFlow__DemoCases=0 GovFlow__Scheduler__SweepSeconds=30 Serilog__MinimumLevel__Default=Warning \
  dotnet "${HOST_DLL:-src/Host/bin/Release/net10.0/GovFlow.Host.dll}" "${DB_ARGS[@]}" --urls "http://127.0.0.1:$((PORT + $1))" >"$data/host$1.log" 2>&1 & echo $!; }
wait_up() { for _ in $(seq 90); do curl -sf "http://127.0.0.1:$((PORT + $1))/health" >/dev/null && return 0; sleep 1; done; cat "$data/host$1.log"; return 1; }
urls=(); pids=(); sampler=
for n in $(seq 0 $((NODES - 1))); do
  if curl -s -o /dev/null "http://127.0.0.1:$((PORT + n))/"; then echo "something already listens on 127.0.0.1:$((PORT + n)); stop it first" >&2; exit 1; fi
  urls+=("http://127.0.0.1:$((PORT + n))")
done
trap 'for p in "${pids[@]}" $sampler; do kill $p 2>/dev/null || true; done; [ "${PROVIDER:-sqlite}" = postgres ] && bash scripts/postgres.sh stop' EXIT
# One node after the other: the first migrates and seeds, the next finds the database ready.
for n in $(seq 0 $((NODES - 1))); do pids+=("$(host "$n")"); wait_up "$n"; done
if [ "${PROFILE:-0}" = 1 ]; then
  # Starts sampling after the warm-up's submissions have begun; the lead reads the measured run's part of it.
  if command -v pidstat >/dev/null; then pidstat -u -h -l 5 >"$data/cpu.txt" 2>&1 & else while sleep 5; do top -b -n 1 -w 200 | head -20; done >"$data/cpu.txt" 2>&1 & fi
  sampler=$!
  echo "CPU samples in $data/cpu.txt"
fi
dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll cases "$(IFS=,; echo "${urls[*]}")" "$COUNT" "$CONCURRENCY" "$WARMUP"
for p in "${pids[@]}" $sampler; do kill $p; wait $p 2>/dev/null || true; done; pids=(); sampler=
[ "${PROVIDER:-sqlite}" = postgres ] && exit 0
dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll seed-tasks "$data/govflow.db" "$TASKS"
pids+=("$(host 0)"); wait_up 0
dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll inbox "http://127.0.0.1:$PORT" 300
