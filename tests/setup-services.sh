#!/usr/bin/env bash
# Makes sure the machine has what the test suite drives for real: Debian's Chromium (browser
# tests), LibreOffice (reads the exported workbooks), Redis on 127.0.0.1:6379 (rate limits shared
# by several workers), a PostgreSQL server that lets the postgres user in without a password, and the OpenID
# provider the single sign-on tests start.
# Safe to run again. TEST_PG_PORT picks another port than 5432.
#
# Prints one line on standard output: the PostgreSQL URL for TEST_POSTGRES_URL. Progress goes
# to standard error. A server already answering on 127.0.0.1:5432 is used as it is; otherwise a
# throwaway cluster that trusts local connections is started, on 5432 when that port is free.
set -euo pipefail

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
say() { echo "$@" >&2; }

redis_answers() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && timeout 3 head -c 5 <&3 | grep -q PONG) 2>/dev/null; }

packages=()
command -v chromium >/dev/null || packages+=(chromium)
redis_answers || command -v redis-server >/dev/null || packages+=(redis-server)
command -v soffice >/dev/null || packages+=(libreoffice-calc-nogui)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || packages+=(postgresql)
if [ ${#packages[@]} -gt 0 ]; then
  say "Installing ${packages[*]} …"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
fi

if ! redis_answers; then
  redis-server --daemonize yes --port 6379 --bind 127.0.0.1 --save '' --appendonly no >&2
  for _ in $(seq 50); do redis_answers && break; sleep 0.1; done
  say "Started Redis on 127.0.0.1:6379."
fi

# The OpenID provider the single sign-on tests start on loopback (tests/support/identity_provider.py): its own
# venv, from its own lock, so that its Flask and Authlib need not match the app's.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
provider="$root/.venv/identity-provider"
if [ ! "$provider/installed" -nt "$root/tests/identity-provider.lock" ]; then
  say "Installing the test OpenID provider into $provider …"
  "${PYTHON:-python3}" -m venv "$provider"
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$provider/bin/pip" install --quiet --require-hashes \
    -r "$root/tests/identity-provider.lock" >&2
  touch "$provider/installed"
fi

url() { echo "postgresql+psycopg://postgres@127.0.0.1:$1/postgres"; }
lets_us_in() { PGCONNECT_TIMEOUT=3 psql -w -h 127.0.0.1 -p "$1" -U postgres -d postgres -qAtc 'SELECT 1' >/dev/null 2>&1; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

preferred="${TEST_PG_PORT:-5432}"
if lets_us_in "$preferred"; then
  say "PostgreSQL answers on 127.0.0.1:$preferred."
  url "$preferred"
  exit 0
fi

# The port is closed, or holds a server that wants a password: run our own beside it.
port=$preferred
listening "$port" && port=$((preferred + 50000))
data="${TMPDIR:-/tmp}/burden-tracker-pg-$port"
if lets_us_in $port; then
  say "The test PostgreSQL answers on 127.0.0.1:$port."
  url $port
  exit 0
fi
bindir=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else $SUDO runuser -u postgres -- "$@"; fi; }
if [ ! -s "$data/PG_VERSION" ]; then
  $SUDO mkdir -p "$data"
  $SUDO chown postgres "$data"
  as_postgres "$bindir/initdb" -D "$data" -A trust -U postgres >/dev/null
fi
as_postgres "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
say "Started a throwaway PostgreSQL for the tests on 127.0.0.1:$port ($data)."
url $port
