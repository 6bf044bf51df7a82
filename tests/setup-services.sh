#!/usr/bin/env bash
# Makes sure the machine has what the test suite drives for real: Debian's Chromium (browser
# tests), LibreOffice (reads the exported workbooks) and a PostgreSQL server on
# 127.0.0.1:$TEST_PG_PORT (default 5432) that trusts the postgres user. Safe to run again.
set -euo pipefail

PORT="${TEST_PG_PORT:-5432}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

packages=()
command -v chromium >/dev/null || packages+=(chromium)
command -v soffice >/dev/null || packages+=(libreoffice-calc-nogui)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || packages+=(postgresql)

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

if [ ${#packages[@]} -gt 0 ]; then
  echo "Installing ${packages[*]} …"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

if answers; then
  echo "PostgreSQL answers on 127.0.0.1:$PORT."
  exit 0
fi

# Nothing answers: start a throwaway cluster that trusts local connections, for tests only.
bindir=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
data="${TMPDIR:-/tmp}/burden-tracker-pg-$PORT"
run_as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else $SUDO runuser -u postgres -- "$@"; fi; }
if [ ! -s "$data/PG_VERSION" ]; then
  $SUDO mkdir -p "$data"
  $SUDO chown postgres "$data"
  run_as_postgres "$bindir/initdb" -D "$data" -A trust -U postgres >/dev/null
fi
run_as_postgres "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-p $PORT -k $data -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
echo "Started a throwaway PostgreSQL for the tests on 127.0.0.1:$PORT ($data)."
