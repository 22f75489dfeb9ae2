# Channel `aiaudit`: the orderer joins with osnadmin, each peer with `peer channel join`.
# Anchor peers are part of the genesis block (configtx.yaml), so no config update is needed.

orderer_admin() { # orderer_admin <osnadmin channel args...>
  local admin
  admin="$(orderer_org_dir)/users/Admin@$ORDERER_DOMAIN/tls"
  "$FABRIC_BIN/osnadmin" channel "$@" -o "$HOST:$ORDERER_ADMIN_PORT" --ca-file "$(orderer_tls_ca)" \
    --client-cert "$admin/client.crt" --client-key "$admin/client.key"
}

join_orderer() {
  # osnadmin exits 0 on HTTP errors too: read the status line.
  if orderer_admin list --channelID "$CHANNEL" 2>/dev/null | grep -q '^Status: 200'; then return 0; fi
  info "orderer joins channel '$CHANNEL'"
  orderer_admin join --channelID "$CHANNEL" --config-block "$ARTIFACTS/$CHANNEL.block" >"$LOG_DIR/osnadmin.log" 2>&1 || true
  grep -q '^Status: 201' "$LOG_DIR/osnadmin.log" || die "osnadmin channel join failed:
$(cat "$LOG_DIR/osnadmin.log")"
}

join_peer() { # join_peer <org>
  local org="$1"
  if peer_as_admin "$org" channel list 2>/dev/null | grep -qx "$CHANNEL"; then return 0; fi
  info "peer0 of $(org_field "$org" 1) joins channel '$CHANNEL'"
  local i
  for i in $(seq 1 20); do
    peer_as_admin "$org" channel join -b "$ARTIFACTS/$CHANNEL.block" >>"$LOG_DIR/peer-cli.log" 2>&1 && return 0
    sleep 0.5
  done
  die "peer of $org could not join '$CHANNEL'; see $LOG_DIR/peer-cli.log"
}
