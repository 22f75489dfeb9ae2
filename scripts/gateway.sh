#!/usr/bin/env bash
# The REST gateway as a background process next to the network: start | stop | status.
# start: build, issue API keys in the foreground (printed once, never logged), start with a pid
# file and a log under $AIAUDIT_DATA_DIR/gateway, wait for /readyz, print the URLs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DATA_DIR="${AIAUDIT_DATA_DIR:-$ROOT/.data}"
GW_DIR="$DATA_DIR/gateway"
PID_FILE="$GW_DIR/gateway.pid"
LOG_FILE="$GW_DIR/gateway.log"
KEYS_FILE="${AIAUDIT_API_KEYS_FILE:-$GW_DIR/api-keys.json}"
PROFILE="${AIAUDIT_CONNECTION_PROFILE:-$DATA_DIR/network/connection.json}"
HOST="${AIAUDIT_GATEWAY_HOST:-127.0.0.1}"
PORT="${AIAUDIT_GATEWAY_PORT:-8080}"
READY_SECONDS="${AIAUDIT_GATEWAY_READY_SECONDS:-90}"
MAIN="gateway/dist/main.js"

die() { printf '[aiaudit] ERROR: %s\n' "$*" >&2; exit 1; }

running_pid() { # prints the pid when the pid file names a live gateway process
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against pid reuse: the process must be our gateway.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$MAIN" || return 1
  echo "$pid"
}

listening_url() { # the URL of the last "gateway listening" line from byte offset $1 of the log
  { tail -c +"$((${1:-0} + 1))" "$LOG_FILE" 2>/dev/null | grep '"gateway listening"' | tail -n 1 | sed -n 's/.*"url":"\([^"]*\)".*/\1/p'; } || true
}

is_ready() { # is_ready <url>: /readyz answers 200
  node -e 'fetch(process.argv[1] + "/readyz").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"
}

print_where() { # print_where <url>
  say "gateway: $1  (web console $1/, API $1/api/v1, docs $1/api/v1/docs, OpenAPI $1/api/v1/openapi.json)"
  say "API keys: printed above when first issued; SHA-256 hashes only in $KEYS_FILE (delete it and restart to issue new keys)"
  say "gateway log: $LOG_FILE; stop with 'npm run gateway:stop'"
}

cmd_start() {
  local pid url offset
  if pid="$(running_pid)"; then
    say "the gateway is already running (pid $pid); nothing to do"
    print_where "$(listening_url 0)"
    return 0
  fi
  [[ -f "$PROFILE" ]] || die "no connection profile at $PROFILE: start the network first ('npm run network:up && npm run network:deploy')"
  if [[ "$PORT" != 0 ]] && (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
    die "port $PORT on $HOST is already in use; stop what holds it ('ss -ltnp | grep :$PORT') or set AIAUDIT_GATEWAY_PORT"
  fi
  mkdir -p "$GW_DIR"
  say "building the gateway (npx tsc -b gateway) and the web console (npm run build -w console)"
  npx tsc -b gateway
  npm run --silent build -w console
  # AIAUDIT_LOCAL_POSTGRES=1: keep the decision index in a private local PostgreSQL (scripts/postgres.sh).
  if [[ "${AIAUDIT_LOCAL_POSTGRES:-0}" == 1 && -z "${AIAUDIT_INDEX_DATABASE_URL:-}" ]]; then
    AIAUDIT_INDEX_DATABASE_URL="$(bash "$ROOT/scripts/postgres.sh" ensure aiaudit)"
    export AIAUDIT_INDEX_DATABASE_URL
  fi
  # New keys are printed here, to the terminal, and never reach the gateway's log file.
  node "$MAIN" issue-keys
  offset="$(stat -c %s "$LOG_FILE" 2>/dev/null || echo 0)"
  # A 64 MB young generation: requests, batches and indexed blocks allocate short-lived JSON; measured
  # under the HTTP bench (50 decisions per call), GC went from 40 to 29 ms per 1,000 decisions.
  # test/support/child-gateway.ts starts the gateway with the same flag.
  (exec setsid node --max-semi-space-size=64 "$MAIN" >>"$LOG_FILE" 2>&1 </dev/null) &
  echo $! >"$PID_FILE"
  say "gateway starting (pid $(cat "$PID_FILE")); waiting for /readyz (up to ${READY_SECONDS}s)"
  for _ in $(seq 1 $((READY_SECONDS * 2))); do
    running_pid >/dev/null || { rm -f "$PID_FILE"; die "the gateway exited during start-up; see $LOG_FILE:
$(tail -n 20 "$LOG_FILE")"; }
    url="$(listening_url "$offset")"
    if [[ -n "$url" ]] && is_ready "$url"; then
      say "gateway ready"
      print_where "$url"
      return 0
    fi
    sleep 0.5
  done
  die "the gateway did not become ready within ${READY_SECONDS}s (still running, pid $(cat "$PID_FILE")); see $LOG_FILE and $url/readyz"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    say "the gateway is not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  # SIGTERM drains in-flight requests (up to 15 s) and closes the Fabric connections.
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    say "gateway (pid $pid) did not stop within 20 s: killed"
  else
    say "stopped the gateway (pid $pid)"
  fi
  rm -f "$PID_FILE"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    say "gateway running (pid $pid) at $(listening_url 0)"
  else
    say "gateway stopped"
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) die "usage: scripts/gateway.sh start|stop|status" ;;
esac
