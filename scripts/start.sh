#!/usr/bin/env bash
# `npm start`: install what is missing, build Fabric once (cached), bring the network up,
# deploy the chaincode, start the REST gateway, and print what is running. Safe to run again:
# what already runs is left as it is.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_tools
ensure_node_modules
bash network/aiaudit-net.sh up
bash network/aiaudit-net.sh deploy
say "running:"
bash network/aiaudit-net.sh status
say "connection profile: $(bash network/aiaudit-net.sh env >/dev/null && echo "${AIAUDIT_DATA_DIR:-$ROOT/.data}/network/connection.json")"
say "logs: ${AIAUDIT_DATA_DIR:-$ROOT/.data}/network/logs; stop with 'npm run gateway:stop' then 'npm run network:down'"
bash scripts/gateway.sh start
