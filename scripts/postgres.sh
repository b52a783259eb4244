#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL server for GovFlow's tests on 127.0.0.1:55432.
#   source scripts/postgres.sh start   -> exports GOVFLOW_TEST_PG
#   scripts/postgres.sh stop
set -u
DATA=${GOVFLOW_PG_DIR:-/tmp/govflow-pg}
PORT=${GOVFLOW_PG_PORT:-55432}
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

pg_start() {
  if [ -z "$(pg_bin)" ]; then
    echo "installing postgresql (Debian package)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || { echo "postgresql could not be installed"; return 1; }
  fi
  local bin; bin=$(pg_bin)
  pg_stop >/dev/null 2>&1
  rm -rf "$DATA"; mkdir -p "$DATA"; chown postgres:postgres "$DATA"
  su postgres -s /bin/bash -c "$bin/initdb -D $DATA/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null || return 1
  su postgres -s /bin/bash -c "$bin/pg_ctl -D $DATA/data -l $DATA/server.log -o '-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DATA -c max_connections=200 -c fsync=on -c synchronous_commit=on' -w start" >/dev/null || { cat "$DATA/server.log"; return 1; }
  export GOVFLOW_TEST_PG="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres"
  echo "PostgreSQL running on 127.0.0.1:$PORT"
}

pg_stop() {
  local bin; bin=$(pg_bin)
  [ -n "$bin" ] && [ -d "$DATA/data" ] && su postgres -s /bin/bash -c "$bin/pg_ctl -D $DATA/data -m fast stop" >/dev/null 2>&1 || true
  return 0
}

case "${1:-}" in
  start) pg_start ;;
  stop) pg_stop ;;
  *) echo "usage: postgres.sh start|stop" ;;
esac
