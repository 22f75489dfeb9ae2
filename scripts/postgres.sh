#!/usr/bin/env bash
# A private PostgreSQL cluster for the decision index (tests and local runs): ensure, stop, status, url.
#   ensure [db]  install Debian's postgresql if its server binaries are missing, create the cluster under
#                <data dir>/postgres (first time), start it on 127.0.0.1:$AIAUDIT_POSTGRES_PORT (5433),
#                create role `aiaudit` and database `db` (default aiaudit_test); print its URL on stdout
#   stop         stop the cluster (data kept); remove <data dir>/postgres to start over
#   status       "running …" (exit 0) or "stopped"/"not created" (exit 3)
#   url [db]     print the URL of database `db` (postgres://aiaudit:<password>@127.0.0.1:<port>/<db>)
# The password of `aiaudit` and of the superuser is generated at creation into <data dir>/postgres/password
# (mode 0600); the server accepts password (SCRAM) logins only, on 127.0.0.1 and its own socket folder.
# initdb and postgres refuse to run as root: as root they run as the `postgres` system user.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${AIAUDIT_DATA_DIR:-$ROOT/.data}"
PG_HOME="$DATA_DIR/postgres"
# As root the cluster belongs to the 'postgres' user, which must reach it: when the data folder
# is not searchable by others (a checkout under /root, say), the cluster lives in /var/tmp instead.
if ((EUID == 0)) && id postgres >/dev/null 2>&1; then
  mkdir -p "$DATA_DIR"
  if ! runuser -u postgres -- test -x "$DATA_DIR" 2>/dev/null; then
    PG_HOME="/var/tmp/aiaudit-postgres-$(printf '%s' "$DATA_DIR" | sha256sum | cut -c1-12)"
  fi
fi
PG_DATA="$PG_HOME/cluster"
PG_SOCKETS="$PG_HOME/run"
PG_LOG="$PG_HOME/postgres.log"
PG_PASSWORD_FILE="$PG_HOME/password"
PG_PORT="${AIAUDIT_POSTGRES_PORT:-5433}"
PG_ROLE=aiaudit
PG_DATABASE="${2:-aiaudit_test}"
[[ "$PG_DATABASE" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || { echo "[postgres] ERROR: database name '$PG_DATABASE' must be a lower-case SQL identifier" >&2; exit 2; }

say() { printf '[postgres] %s\n' "$*" >&2; }
fail() {
  printf '[postgres] ERROR: %s\n' "$*" >&2
  exit 1
}

# The newest installed server's binaries (Debian keeps them in /usr/lib/postgresql/<version>/bin).
find_bin_dir() {
  local dir best=""
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]] && best="$dir"
  done
  if [[ -z "$best" ]] && command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then best="$(dirname "$(command -v pg_ctl)")"; fi
  printf '%s' "$best"
}

BIN="$(find_bin_dir)"

install_server() {
  [[ -n "$BIN" ]] && return 0
  ((EUID == 0)) || fail "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin and PATH); install them (apt-get install postgresql) or run this as root"
  command -v apt-get >/dev/null || fail "PostgreSQL server binaries not found and apt-get is not available; install PostgreSQL (initdb, pg_ctl, postgres) and run again"
  say "installing PostgreSQL (apt-get install postgresql)"
  apt-get update >&2 || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2 || fail "apt-get install -y postgresql failed"
  BIN="$(find_bin_dir)"
  [[ -n "$BIN" ]] || fail "postgresql was installed but no initdb/pg_ctl was found under /usr/lib/postgresql/*/bin"
}

# Runs a server command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if ((EUID == 0)); then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

prepare_home() {
  mkdir -p "$PG_HOME" "$PG_SOCKETS"
  if ((EUID == 0)); then
    id postgres >/dev/null 2>&1 || fail "running as root needs the 'postgres' system user (created by Debian's postgresql package) to own the cluster"
    chown postgres:postgres "$PG_HOME" "$PG_SOCKETS"
    runuser -u postgres -- test -w "$PG_HOME" ||
      fail "the postgres user cannot write $PG_HOME (every folder above it must be searchable by others: chmod o+x); or set AIAUDIT_DATA_DIR elsewhere"
  fi
  chmod 0700 "$PG_HOME" "$PG_SOCKETS"
}

create_cluster() {
  [[ -f "$PG_DATA/PG_VERSION" ]] && return 0
  say "creating the cluster in $PG_DATA ($("$BIN/postgres" --version))"
  prepare_home
  # The password is never written anywhere else than this file (and the URL `url` prints).
  (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$PG_PASSWORD_FILE.new")
  ((EUID == 0)) && chown postgres:postgres "$PG_PASSWORD_FILE.new"
  as_owner "$BIN/initdb" -D "$PG_DATA" -U postgres --pwfile="$PG_PASSWORD_FILE.new" --auth-local=scram-sha-256 --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C >"$PG_HOME/initdb.log" 2>&1 ||
    fail "initdb failed for $PG_DATA; see $PG_HOME/initdb.log"
  mv "$PG_PASSWORD_FILE.new" "$PG_PASSWORD_FILE"
}

is_running() { [[ -f "$PG_DATA/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

start_server() {
  if is_running; then return 0; fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then
    fail "port $PG_PORT on 127.0.0.1 is already in use (ss -ltnp | grep :$PG_PORT); set AIAUDIT_POSTGRES_PORT to a free port"
  fi
  prepare_home
  say "starting PostgreSQL on 127.0.0.1:$PG_PORT (log $PG_LOG)"
  as_owner "$BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_SOCKETS" start >/dev/null ||
    { tail -n 20 "$PG_LOG" >&2 || true; fail "pg_ctl could not start the cluster in $PG_DATA (log above: $PG_LOG)"; }
}

password() {
  [[ -r "$PG_PASSWORD_FILE" ]] || fail "no password file $PG_PASSWORD_FILE: run 'bash scripts/postgres.sh ensure' first"
  cat "$PG_PASSWORD_FILE"
}

# psql as the superuser over TCP with the generated password; the statement comes from stdin.
psql_admin() {
  PGPASSWORD="$(password)" "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tA "$@"
}

create_database() {
  local pw
  pw="$(password)"
  # The password is generated base64 without quotes, so it is safe inside a SQL literal.
  psql_admin >/dev/null <<SQL || fail "could not create role $PG_ROLE / database $PG_DATABASE (see $PG_LOG)"
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', '$PG_ROLE', '$pw') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE')
\gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$PG_DATABASE', '$PG_ROLE') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE')
\gexec
SQL
}

url() { printf 'postgres://%s:%s@127.0.0.1:%s/%s\n' "$PG_ROLE" "$(password)" "$PG_PORT" "$PG_DATABASE"; }

cmd="${1:-}"
case "$cmd" in
  ensure)
    install_server
    create_cluster
    start_server
    create_database
    say "ready: postgres://$PG_ROLE:***@127.0.0.1:$PG_PORT/$PG_DATABASE ('bash scripts/postgres.sh url $PG_DATABASE' prints it with the password)"
    url
    ;;
  stop)
    [[ -n "$BIN" ]] || { say "PostgreSQL is not installed; nothing to stop"; exit 0; }
    if is_running; then
      as_owner "$BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null || fail "pg_ctl could not stop the cluster in $PG_DATA"
      say "stopped (data kept in $PG_DATA)"
    else
      say "not running"
    fi
    ;;
  status)
    if [[ -z "$BIN" || ! -f "$PG_DATA/PG_VERSION" ]]; then
      echo "not created ($PG_DATA)"
      exit 3
    fi
    if is_running; then
      echo "running on 127.0.0.1:$PG_PORT (pid $(head -n 1 "$PG_DATA/postmaster.pid"), data $PG_DATA)"
    else
      echo "stopped (data $PG_DATA)"
      exit 3
    fi
    ;;
  url)
    [[ -n "$BIN" ]] || fail "PostgreSQL is not installed: run 'bash scripts/postgres.sh ensure'"
    url
    ;;
  *)
    echo "usage: $(basename "$0") ensure [database]|stop|status|url [database]" >&2
    exit 2
    ;;
esac
