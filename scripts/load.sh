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
#   SKIP_BUILD=1        use the builds as they are (repeated runs)
#   PROFILE=1           print the CPU seconds each host, the driver, PostgreSQL and the whole machine used in the run
#   ONLY=cases          stop after the submissions and completions (repeated runs of the throughput rows)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-20000}; WARMUP=${WARMUP:-6000}; CONCURRENCY=${CONCURRENCY:-16}; TASKS=${TASKS:-1000000}
# postgres.sh, sourced below, sets its own PORT.
BASE_PORT=${PORT:-5080}; NODES=${NODES:-1}
if [ "$NODES" -gt 1 ] && [ "${PROVIDER:-sqlite}" != postgres ]; then echo "NODES=$NODES needs PROVIDER=postgres: SQLite has one host" >&2; exit 1; fi
data=$(mktemp -d /tmp/govflow-load.XXXXXX)
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  dotnet build -c Release -p:SkipClientApp=true src/Host -v q >/dev/null
  dotnet build -c Release tests/GovFlow.LoadDriver -v q >/dev/null
fi
DB_ARGS=()
if [ "${PROVIDER:-sqlite}" = postgres ]; then
  source scripts/postgres.sh start
  DB_ARGS=(--provider postgres --connection "$GOVFLOW_TEST_PG")
fi
# The nodes share the data folder: the demo SM4 key made by the first is the one the second must encrypt with.
host() { GOVFLOW_DATA_DIR=$data GovFlow__Outbox__DeliverInline=${INLINE:-true} GovFlow__DemoCases=0 GovFlow__Scheduler__SweepSeconds=30 Serilog__MinimumLevel__Default=Warning \
  dotnet "${HOST_DLL:-src/Host/bin/Release/net10.0/GovFlow.Host.dll}" "${DB_ARGS[@]}" --urls "http://127.0.0.1:$((BASE_PORT + $1))" >"$data/host$1.log" 2>&1 & echo $!; }
wait_up() { for _ in $(seq 90); do curl -sf "http://127.0.0.1:$((BASE_PORT + $1))/health" >/dev/null && return 0; sleep 1; done; cat "$data/host$1.log"; return 1; }
urls=(); pids=()
# The hosts were started in subshells, so `wait` cannot wait for them: poll until they have gone, before PostgreSQL
# stops under them (a host left running retries the database it lost, burning CPU).
stop_hosts() {
  for p in "${pids[@]}"; do kill $p 2>/dev/null || true; done
  for p in "${pids[@]}"; do for _ in $(seq 60); do kill -0 $p 2>/dev/null || break; sleep 0.5; done; kill -9 $p 2>/dev/null || true; done
  pids=()
}
for n in $(seq 0 $((NODES - 1))); do
  if curl -s -o /dev/null "http://127.0.0.1:$((BASE_PORT + n))/"; then echo "something already listens on 127.0.0.1:$((BASE_PORT + n)); stop it first" >&2; exit 1; fi
  urls+=("http://127.0.0.1:$((BASE_PORT + n))")
done
trap 'stop_hosts; [ "${PROVIDER:-sqlite}" = postgres ] && bash scripts/postgres.sh stop' EXIT
# One node after the other: the first migrates and seeds, the next finds the database ready.
for n in $(seq 0 $((NODES - 1))); do pids+=("$(host "$n")"); wait_up "$n"; done
# CPU seconds used so far by each role (each host by its port, the driver, PostgreSQL's processes) and by the machine.
# Per process from /proc in clock ticks: ps rounds each process down to whole seconds, which lost PostgreSQL's many
# short-lived backends.
cpu_roles() {
  ps -eo pid=,ppid=,args= | awk -v base="$BASE_PORT" -v nodes="$NODES" -v pgdata="${GOVFLOW_PG_DIR:-/tmp/govflow-pg}/data" '
    { pid[NR]=$1; ppid[NR]=$2; $1=$2=""; args[NR]=$0; if (index($0, "-D " pgdata)) master=pid[NR] }
    END { for (i=1; i<=NR; i++) { r=""
      if (pid[i]==master || ppid[i]==master) r="postgres"
      else if (args[i] ~ /GovFlow.Host.dll/) for (n=0; n<nodes; n++) if (index(args[i], "127.0.0.1:" base+n)) r="host:" base+n
      if (r != "") print pid[i], r } }' |
  while read -r pid role; do
    read -r -a f <"/proc/$pid/stat" 2>/dev/null || continue
    echo "$role ${f[13]} ${f[14]}"
  done | awk -v hz="$(getconf CLK_TCK)" '{ t[$1]+=($2+$3)/hz } END { for (r in t) print r, t[r] }'
  awk -v hz="$(getconf CLK_TCK)" '/^cpu /{ print "machine", ($2+$3+$4+$7+$8+$9)/hz }' /proc/stat
}
profile_start() { [ "${PROFILE:-0}" = 1 ] || return 0; cpu_roles >"$data/cpu-start.txt"; started=$(date +%s.%N); }
profile_end() {
  [ "${PROFILE:-0}" = 1 ] || return 0
  { cpu_roles; echo "driver $(cat "$data/driver-cpu.txt")"; } >"$data/cpu-end.txt"
  local wall; wall=$(echo "$(date +%s.%N) - $started" | bc)
  echo "CPU during the driver's run (warm-up included; $(nproc) cores, ${wall%.*} s; % of one core):"
  awk -v wall="$wall" 'NR==FNR { a[$1]=$2; next } { printf "  %-12s %7.1f s  %5.0f%%\n", $1, $2-a[$1], 100*($2-a[$1])/wall }' "$data/cpu-start.txt" "$data/cpu-end.txt" | sort
}
profile_start
dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll cases "$(IFS=,; echo "${urls[*]}")" "$COUNT" "$CONCURRENCY" "$WARMUP" & driver=$!
# The driver's CPU is read while it runs: once it has exited, ps no longer sees it.
while kill -0 $driver 2>/dev/null; do t=$(ps -o times= -p $driver 2>/dev/null) && [ -n "$t" ] && echo "$t" >"$data/driver-cpu.txt"; sleep 1; done
wait $driver
profile_end
stop_hosts
[ "${PROVIDER:-sqlite}" = postgres ] || [ "${ONLY:-}" = cases ] && exit 0
dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll seed-tasks "$data/govflow.db" "$TASKS"
pids+=("$(host 0)"); wait_up 0
dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll inbox "http://127.0.0.1:$BASE_PORT" 300
stop_hosts

# Case search by case number, ID number and phone with 1,000,000 cases (issue 18), on a database and host run of its
# own (scripts/load-search.sh; CASES and REQUESTS choose the size).
PORT=$BASE_PORT bash scripts/load-search.sh

# Metrics for a year of 1,000,000 cases (issue 18), on its own database: see scripts/load-metrics.sh.
PORT=$BASE_PORT bash scripts/load-metrics.sh
