#!/usr/bin/env bash
# Times a host's start to /health on a SQLite database of CASES cases (seeded as load-search.sh seeds them, while
# the host is stopped): RUNS starts of this build, each after one of BEFORE's when BEFORE names another build's
# GovFlow.Host.dll (e.g. a worktree of an earlier commit). Loopback only.
#   PORT=5080 CASES=1000000 RUNS=3 BEFORE=/path/to/GovFlow.Host.dll bash scripts/load-start.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5080}; CASES=${CASES:-1000000}; url=http://127.0.0.1:$PORT
AFTER=src/Host/bin/Release/net10.0/GovFlow.Host.dll
data=$(mktemp -d /tmp/govflow-start.XXXXXX)
dotnet build -c Release src/Host -v q -p:SkipClientApp=true >/dev/null
dotnet build -c Release tests/GovFlow.LoadDriver -v q -p:SkipClientApp=true >/dev/null
if curl -s -o /dev/null "$url/"; then echo "something already listens on $url; stop it first" >&2; exit 1; fi
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$data"' EXIT
# Starts a build, prints the seconds to a healthy answer, and stops it.
timed() {
  local t0; t0=$(date +%s.%N)
  GOVFLOW_DATA_DIR=$data GovFlow__DemoCases=0 GovFlow__Scheduler__SweepSeconds=30 Serilog__MinimumLevel__Default=Warning \
    dotnet "$1" --urls "$url" >"$data/host.log" 2>&1 & pid=$!
  for _ in $(seq 1500); do curl -sf "$url/health" >/dev/null && break; sleep 0.2; done
  curl -sf "$url/health" >/dev/null || { cat "$data/host.log"; return 1; }
  printf '%s: %.1f s to /health\n' "$2" "$(echo "$(date +%s.%N) - $t0" | bc)"
  kill $pid; for _ in $(seq 120); do kill -0 $pid 2>/dev/null || break; sleep 0.5; done; kill -9 $pid 2>/dev/null || true; pid=
}
timed "$AFTER" "empty database (creates it)"
dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll seed-cases "$data/govflow.db" "$CASES" | tail -1
timed "$AFTER" "first start after seeding"
for i in $(seq "${RUNS:-3}"); do
  [ -n "${BEFORE:-}" ] && timed "$BEFORE" "before, start $i"
  timed "$AFTER" "this build, start $i"
done
