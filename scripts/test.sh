#!/usr/bin/env bash
# `npm test`: type checks and unit tests, then the integration tests against the real local
# network and a private PostgreSQL (scripts/postgres.sh). What this script starts is stopped at
# the end (the network also removed); what was already running is reused and left running.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_tools
ensure_node_modules
bash scripts/chromium.sh ensure

say "type check"
npx tsc -b chaincode gateway verifier && npx tsc -p test
say "web console: type check and build"
npm run --silent build -w console
say "unit tests"
npx vitest run --project unit

started=0
pg_started=0
cleanup() {
  if ((pg_started)); then
    say "stopping the PostgreSQL this run started"
    bash scripts/postgres.sh stop || true
  fi
  if ((started)); then
    say "stopping the network this run started"
    bash network/aiaudit-net.sh clean >/dev/null || true
  fi
}
trap cleanup EXIT

# The PostgreSQL index store's tests need a server; the URL reaches them in the environment.
if ! bash scripts/postgres.sh status >/dev/null; then pg_started=1; fi
AIAUDIT_TEST_POSTGRES_URL="$(bash scripts/postgres.sh ensure)"
export AIAUDIT_TEST_POSTGRES_URL

net_status="$(bash network/aiaudit-net.sh status)"
if grep -q 'orderer *running' <<<"$net_status"; then
  say "reusing the running network"
else
  started=1
  bash network/aiaudit-net.sh up
fi
bash network/aiaudit-net.sh deploy
say "integration tests"
npx vitest run --project integration
