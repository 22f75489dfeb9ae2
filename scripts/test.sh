#!/usr/bin/env bash
# `npm test`: type checks and unit tests, then the integration tests against the real local
# network. A network this script starts is stopped and removed at the end; one that was
# already running is reused and left running.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_tools
ensure_node_modules

say "type check"
npx tsc -b chaincode gateway verifier && npx tsc -p test
say "unit tests"
npx vitest run --project unit

started=0
cleanup() {
  if ((started)); then
    say "stopping the network this run started"
    bash network/aiaudit-net.sh clean >/dev/null || true
  fi
}
trap cleanup EXIT

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
