#!/usr/bin/env bash
# `npm run bench [-- suite…]`: bring the local network up if needed, run the benchmark suites, record figures
# in test/bench/results.ndjson. A network this script starts is stopped (data kept) at the end.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_tools
ensure_node_modules
started=0
net_status="$(bash network/aiaudit-net.sh status)"
if ! grep -q 'orderer *running' <<<"$net_status"; then
  started=1
  trap 'bash network/aiaudit-net.sh down >/dev/null || true' EXIT
  bash network/aiaudit-net.sh up
fi
bash network/aiaudit-net.sh deploy
# test/tsconfig.json: the chaincode's legacy decorators, for the in-process chaincode-cpu suite
TSX_TSCONFIG_PATH=test/tsconfig.json node --import tsx test/bench/run.ts "$@"
