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
  if grep -q '^Status: 200' <<<"$(orderer_admin list --channelID "$CHANNEL" 2>/dev/null || true)"; then return 0; fi
  info "orderer joins channel '$CHANNEL'"
  orderer_admin join --channelID "$CHANNEL" --config-block "$ARTIFACTS/$CHANNEL.block" >"$LOG_DIR/osnadmin.log" 2>&1 || true
  grep -q '^Status: 201' "$LOG_DIR/osnadmin.log" || die "osnadmin channel join failed:
$(cat "$LOG_DIR/osnadmin.log")"
}

join_peer() { # join_peer <org>
  local org="$1"
  if grep -qx "$CHANNEL" <<<"$(peer_as_admin "$org" channel list 2>/dev/null || true)"; then return 0; fi
  info "peer0 of $(org_field "$org" 1) joins channel '$CHANNEL'"
  local i
  for i in $(seq 1 20); do
    peer_as_admin "$org" channel join -b "$ARTIFACTS/$CHANNEL.block" >>"$LOG_DIR/peer-cli.log" 2>&1 && return 0
    sleep 0.5
  done
  die "peer of $org could not join '$CHANNEL'; see $LOG_DIR/peer-cli.log"
}

# Discovery must know every org's peer before a MAJORITY write can be endorsed through the
# gateway: wait until each peer's log shows the others online in the channel since its start.
wait_for_membership() {
  local org other endpoint log i seen
  for org in "${ORG_KEYS[@]}"; do
    log="$LOG_DIR/peer-$org.log"
    for other in "${ORG_KEYS[@]}"; do
      [[ "$other" == "$org" ]] && continue
      endpoint="$HOST:$(org_field "$other" 3)"
      seen=0
      for i in $(seq 1 120); do
        if awk -v ep="$endpoint" '/Started peer with ID/ { online = 0 }
            /Membership view has changed/ { i = index($0, "current view"); online = (i > 0 && index(substr($0, i), ep) > 0) }
            END { exit !online }' "$log"; then
          seen=1
          break
        fi
        sleep 0.5
      done
      ((seen)) || die "peer of $org has not seen $other's peer ($endpoint) in channel '$CHANNEL' after 60 s; see $log"
    done
  done
  info "both peers see each other in channel '$CHANNEL'"
}
