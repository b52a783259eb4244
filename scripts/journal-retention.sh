#!/usr/bin/env bash
# Measures the journal retention policy on SQLite: COUNT finished cases (submitted, then refused at the first
# review), the database size after VACUUM before and after the archiver has moved their journals into
# journal_archives, extrapolated linearly to 100,000 finished cases. Loopback only, on PORT.
#   PORT=5186 COUNT=10000 CONCURRENCY=8 bash scripts/journal-retention.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5186}; COUNT=${COUNT:-10000}; CONCURRENCY=${CONCURRENCY:-8}
url=http://127.0.0.1:$PORT
data=$(mktemp -d /tmp/govflow-retention.XXXXXX)
dotnet build -c Release -p:SkipClientApp=true src/Host -v q >/dev/null
dotnet build -c Release tests/GovFlow.LoadDriver -v q >/dev/null
if curl -s -o /dev/null "$url/"; then echo "something already listens on $url; stop it first" >&2; exit 1; fi
# Extra settings (e.g. the retention policy) go as arguments.
# The driver rates every case as its applicant, anonymously from one address: the public limit is lifted.
host() { GOVFLOW_DATA_DIR=$data GovFlow__DemoCases=0 GovFlow__Scheduler__SweepSeconds=30 GovFlow__RateLimits__PublicPerMinute=100000000 Serilog__MinimumLevel__Default=Warning \
  dotnet src/Host/bin/Release/net10.0/GovFlow.Host.dll --urls "$url" "$@" >>"$data/host.log" 2>&1 & echo $!; }
wait_up() { for _ in $(seq 90); do curl -sf "$url/health/live" >/dev/null && return 0; sleep 1; done; tail -50 "$data/host.log"; return 1; }
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }
# VACUUM (after a WAL checkpoint) and the file's size, the finished cases, journal rows and archives.
measure() { python3 - "$data/govflow.db" <<'EOF'
import os, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA wal_checkpoint(TRUNCATE)"); db.execute("VACUUM"); db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
q = lambda sql: db.execute(sql).fetchone()[0]
finished = q("SELECT COUNT(*) FROM cases WHERE Status IN ('Completed','CompletedWithTolerance','Refused','NotAccepted','Withdrawn')")
archives = q("SELECT COUNT(*) FROM journal_archives")
print(os.path.getsize(sys.argv[1]), finished, q("SELECT COUNT(*) FROM journal"), archives, q("SELECT COALESCE(SUM(length(Content)),0) FROM journal_archives"))
# Where the file goes (tables and indexes), on stderr so the figures above stay one line to read.
try:
    top = db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8").fetchall()
    print("largest: " + ", ".join(f"{n} {b / 1024 / 1024:.1f} MiB" for n, b in top), file=sys.stderr)
except sqlite3.OperationalError:
    pass
EOF
}
pid=$(host); trap 'kill $pid 2>/dev/null || true' EXIT; wait_up
dotnet tests/GovFlow.LoadDriver/bin/Release/net10.0/GovFlow.LoadDriver.dll finished "$url" "$COUNT" "$CONCURRENCY"
stop "$pid"
read -r before finished rows _ _ < <(measure)
# Every case is older than a tenth of a second: the archiver's first run (at start) takes them all.
pid=$(host --GovFlow:Retention:ArchiveAfterDays=0.000001 --GovFlow:Retention:BatchSize=500); wait_up
for _ in $(seq 1800); do
  archived=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM journal_archives').fetchone()[0])" "$data/govflow.db" 2>/dev/null || echo 0)
  [ "$archived" -ge "$finished" ] && break; sleep 2
done
stop "$pid"
read -r after finished2 rows2 archives blob < <(measure)
python3 - "$before" "$after" "$finished" "$rows" "$rows2" "$archives" "$blob" <<'EOF'
import sys
before, after, finished, rows, rows2, archives, blob = map(int, sys.argv[1:])
per = lambda size: size / finished * 100_000 / 1024 / 1024
print(f"finished cases {finished}; journal rows {rows} before, {rows2} after; {archives} archive rows ({blob / max(archives, 1):.0f} bytes each)")
print(f"database after VACUUM: {before / 1024 / 1024:.1f} MiB before, {after / 1024 / 1024:.1f} MiB after archiving")
print(f"per 100,000 finished cases (linear from {finished}): {per(before):.0f} MiB before, {per(after):.0f} MiB after ({(1 - after / before) * 100:.0f}% less)")
EOF
grep -h "Journal retention" "$data/host.log" | tail -1 || true
rm -rf "$data"
