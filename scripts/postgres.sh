#!/usr/bin/env bash
# Start (if needed) a local PostgreSQL cluster on 127.0.0.1 and print a URL for the tests.
# Debian's postgresql package; a throwaway database "labdesk_test" owned by role "labdesk".
set -euo pipefail
port=${LABDESK_PG_PORT:-55432}
ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
if [[ -z "$ver" ]]; then echo "postgres.sh: PostgreSQL is not installed" >&2; exit 1; fi
bin=/usr/lib/postgresql/$ver/bin
data=/tmp/labdesk-pg-$port
if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
  if [[ ! -d $data ]]; then
    mkdir -p "$data"; chown postgres:postgres "$data"
    su postgres -c "$bin/initdb -D $data -A trust -U postgres --no-instructions" >&2
  fi
  su postgres -c "$bin/pg_ctl -D $data -l $data/log -o '-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' -w start" >&2
fi
psql="psql -q -h 127.0.0.1 -p $port -U postgres"
$psql -tc "select 1 from pg_roles where rolname='labdesk'" | grep -q 1 || $psql -c "create role labdesk login password 'labdesk'" >&2
$psql -tc "select 1 from pg_database where datname='labdesk_test'" | grep -q 1 || $psql -c "create database labdesk_test owner labdesk" >&2
echo "postgresql+psycopg://labdesk:labdesk@127.0.0.1:$port/labdesk_test"
