#!/usr/bin/env bash
# The local Fabric network: one Raft orderer, one peer per org (OperatorOrg, RegulatorOrg),
# channel `aiaudit`, chaincode `aiaudit` as a service. Native processes, no Docker.
# Usage: network/aiaudit-net.sh up|deploy|down|clean|status|env
#   env prints the connection profile (JSON) that clients use; it lives in $NET_DATA/connection.json.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$NET_DIR/lib/fabric-bin.sh"
source "$NET_DIR/lib/crypto.sh"
source "$NET_DIR/lib/configtx.sh"
source "$NET_DIR/lib/nodes.sh"
source "$NET_DIR/lib/channel.sh"
source "$NET_DIR/lib/chaincode.sh"

NODE_NAMES=(orderer peer-operator peer-regulator)

all_running() {
  local n
  for n in "${NODE_NAMES[@]}"; do pid_alive "$n" || return 1; done
}

check_ports() {
  pid_alive orderer || { require_free_port "$ORDERER_PORT" orderer; require_free_port "$ORDERER_ADMIN_PORT" "orderer admin"; require_free_port "$ORDERER_OPS_PORT" "orderer operations"; }
  local org port
  for org in "${ORG_KEYS[@]}"; do
    pid_alive "peer-$org" && continue
    port="$(org_field "$org" 3)"
    require_free_port "$port" "peer of $org"
    require_free_port "$((port + 1))" "chaincode listener of $org's peer"
    require_free_port "$(org_field "$org" 4)" "operations of $org's peer"
  done
}

cmd_up() {
  if all_running; then
    info "the network is already running (pids in $PID_DIR); nothing to do. Use 'down' to stop it."
    return 0
  fi
  check_ports
  ensure_fabric_binaries
  mkdir -p "$LOG_DIR" "$PID_DIR"
  generate_crypto
  generate_genesis_block
  start_orderer
  join_orderer
  local org
  for org in "${ORG_KEYS[@]}"; do start_peer "$org"; done
  for org in "${ORG_KEYS[@]}"; do join_peer "$org"; done
  write_connection_profile
  info "network up: channel '$CHANNEL' on orderer $HOST:$ORDERER_PORT, peers $HOST:$OPERATOR_PEER_PORT (OperatorOrg), $HOST:$REGULATOR_PEER_PORT (RegulatorOrg)"
}

cmd_deploy() {
  all_running || die "the network is not running; run 'up' first"
  # The chaincode server is ours too: restart it if it died.
  deploy_chaincode
  wait_for_membership
}

cmd_down() {
  local n
  stop_process chaincode-operator
  stop_process chaincode-regulator
  stop_process chaincode # layout of earlier versions: one shared server
  for n in peer-regulator peer-operator orderer; do stop_process "$n"; done
  info "network stopped (data kept in $NET_DATA; 'clean' removes it)"
}

# Everything in the data folder derives from this network's chain: the gateway's index, outbox and
# events, exports, benchmark indexes. A new chain with an old index would answer from the old one.
CHAIN_DERIVED=(network gateway exports bench)

cmd_clean() {
  local gw_pid="$DATA_DIR/gateway/gateway.pid" d
  if [[ -f "$gw_pid" ]] && kill -0 "$(cat "$gw_pid")" 2>/dev/null; then
    die "the gateway is running (pid $(cat "$gw_pid")); stop it first with 'npm run gateway:stop'"
  fi
  cmd_down
  for d in "${CHAIN_DERIVED[@]}"; do rm -rf "${DATA_DIR:?}/$d"; done
  info "removed ${CHAIN_DERIVED[*]} under $DATA_DIR (API keys included: new ones are issued at the next start)"
}

cmd_status() {
  local n state
  for n in "${NODE_NAMES[@]}" chaincode-operator chaincode-regulator; do
    if pid_alive "$n"; then state="running (pid $(cat "$PID_DIR/$n.pid"))"; else state="stopped"; fi
    printf '  %-20s %s\n' "$n" "$state"
  done
  if all_running; then
    local org
    for org in "${ORG_KEYS[@]}"; do
      printf '  %-16s channels: %s\n' "$org" "$(peer_as_admin "$org" channel list 2>/dev/null | grep -v '^Channels' | tr '\n' ' ')"
    done
    peer_as_admin operator lifecycle chaincode querycommitted -C "$CHANNEL" 2>/dev/null | sed 's/^/  /' || true
  fi
}

# The connection profile: what a client (gateway, tests) needs to reach the network.
write_connection_profile() {
  local f="$NET_DATA/connection.json" org sep=""
  {
    printf '{\n  "channel": "%s",\n  "chaincode": "%s",\n  "orgs": {\n' "$CHANNEL" "$CC_NAME"
    for org in "${ORG_KEYS[@]}"; do
      printf '%s    "%s": {"mspId": "%s", "peerEndpoint": "%s:%s", "peerHostAlias": "peer0.%s", "tlsCaCert": "%s", "usersDir": "%s"}' \
        "$sep" "$org" "$(org_field "$org" 1)" "$HOST" "$(org_field "$org" 3)" "$(org_field "$org" 2)" \
        "$(peer_tls_ca "$org")" "$(org_dir "$org")/users"
      sep=$',\n'
    done
    printf '\n  }\n}\n'
  } >"$f"
}

cmd_env() {
  [[ -f "$NET_DATA/connection.json" ]] || die "no connection profile yet; run 'up' first"
  cat "$NET_DATA/connection.json"
}

case "${1:-}" in
  up) cmd_up ;;
  deploy) cmd_deploy ;;
  down) cmd_down ;;
  clean) cmd_clean ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) echo "usage: $0 up|deploy|down|clean|status|env" >&2; exit 2 ;;
esac
