#!/usr/bin/env bash
# Times the metrics (GET /api/metrics for a year) over a year of COUNT cases on SQLite (issue 18: 1,000,000 cases,
# p95 ≤ 200 ms). The host starts on a fresh database and takes a few real cases (seed-year copies one's encrypted
# personal data), stops; the driver inserts COUNT cases with their metric facts; the host starts again, its refresher
# sums the year into metric_days (timed from start-up to the first log line), then REQUESTS reads are timed.
#   PORT=5080 COUNT=1000000 REQUESTS=200 RUNS=3 bash scripts/load-metrics.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5080}; COUNT=${COUNT:-1000000}; REQUESTS=${REQUESTS:-200}
url=http://127.0.0.1:$PORT
data=$(mktemp -d /tmp/govflow-metrics.XXXXXX)
dotnet build -c Release -p:SkipClientApp=true src/Host -v q >/dev/null
dotnet build -c Release tests/GovFlow.LoadDriver -v q >/dev/null
driver() { dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll "$@"; }
host() { GOVFLOW_DATA_DIR=$data GovFlow__DemoCases=0 GovFlow__MetricRollups__Seconds=5 Serilog__MinimumLevel__Default=Information \
  dotnet src/Host/bin/Release/net10.0/GovFlow.Host.dll --urls "$url" >>"$data/host.log" 2>&1 & echo $!; }
wait_up() { for _ in $(seq 120); do curl -sf "$url/health" >/dev/null && return 0; sleep 1; done; tail -50 "$data/host.log"; return 1; }
if curl -s -o /dev/null "$url/"; then echo "something already listens on $url; stop it first" >&2; exit 1; fi
pid=$(host); trap 'kill $pid 2>/dev/null || true' EXIT; wait_up
driver cases "$url" 20 2
kill $pid; wait $pid 2>/dev/null || true
driver seed-year "$data/govflow.db" "$COUNT"
mv "$data/host.log" "$data/host-submit.log"
started=$(date +%s)
pid=$(host); wait_up
# The first refresh sums every seeded day; until it commits the year is summed live from the cases.
for _ in $(seq 900); do grep -q "Refreshed the metric rollups" "$data/host.log" && break; sleep 1; done
echo "rollups of the year built $(( $(date +%s) - started )) s after start-up"
# The issue's figure is the median of three runs: RUNS timed passes over the same seeded year.
for _ in $(seq "${RUNS:-3}"); do driver metrics "$url" "$REQUESTS"; done
echo "data in $data"
