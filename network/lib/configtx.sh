# Channel configuration: configtx.yaml for channel `aiaudit` (Raft orderer, two application
# orgs with anchor peers, MAJORITY endorsement) and its genesis block.

write_configtx() {
  local f="$NET_DATA/config/configtx.yaml" org
  mkdir -p "$NET_DATA/config"
  {
    cat <<YAML
# Written by network/lib/configtx.sh
Organizations:
  - &OrdererOrg
    Name: OrdererOrg
    ID: OrdererMSP
    MSPDir: $(orderer_org_dir)/msp
    Policies:
      Readers: {Type: Signature, Rule: "OR('OrdererMSP.member')"}
      Writers: {Type: Signature, Rule: "OR('OrdererMSP.member')"}
      Admins: {Type: Signature, Rule: "OR('OrdererMSP.admin')"}
    OrdererEndpoints:
      - $HOST:$ORDERER_PORT
YAML
    for org in "${ORG_KEYS[@]}"; do
      local msp
      msp="$(org_field "$org" 1)"
      cat <<YAML
  - &${org^}Org
    Name: $msp
    ID: $msp
    MSPDir: $(org_dir "$org")/msp
    Policies:
      Readers: {Type: Signature, Rule: "OR('$msp.admin', '$msp.peer', '$msp.client')"}
      Writers: {Type: Signature, Rule: "OR('$msp.admin', '$msp.client')"}
      Admins: {Type: Signature, Rule: "OR('$msp.admin')"}
      Endorsement: {Type: Signature, Rule: "OR('$msp.peer')"}
    AnchorPeers:
      - Host: $HOST
        Port: $(org_field "$org" 3)
YAML
    done
    cat <<YAML
Capabilities:
  Channel: &ChannelCapabilities {V3_0: true}
  Orderer: &OrdererCapabilities {V2_0: true}
  Application: &ApplicationCapabilities {V2_5: true}

Application: &ApplicationDefaults
  Organizations:
  Policies:
    Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
    Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
    Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
    LifecycleEndorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
    Endorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
  Capabilities: *ApplicationCapabilities

Orderer: &OrdererDefaults
  OrdererType: etcdraft
  BatchTimeout: $BATCH_TIMEOUT
  BatchSize:
    MaxMessageCount: $BATCH_MAX_COUNT
    AbsoluteMaxBytes: 10 MB
    PreferredMaxBytes: 4 MB
  EtcdRaft:
    Consenters:
      - Host: $HOST
        Port: $ORDERER_PORT
        ClientTLSCert: $(orderer_dir)/tls/server.crt
        ServerTLSCert: $(orderer_dir)/tls/server.crt
  Organizations:
  Policies:
    Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
    Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
    Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
    BlockValidation: {Type: ImplicitMeta, Rule: "ANY Writers"}
  Capabilities: *OrdererCapabilities

Channel: &ChannelDefaults
  Policies:
    Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
    Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
    Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
  Capabilities: *ChannelCapabilities

Profiles:
  AiAuditChannel:
    <<: *ChannelDefaults
    Orderer:
      <<: *OrdererDefaults
      Organizations: [*OrdererOrg]
    Application:
      <<: *ApplicationDefaults
      Organizations: [*OperatorOrg, *RegulatorOrg]
YAML
  } >"$f"
}

generate_genesis_block() {
  local block="$ARTIFACTS/$CHANNEL.block"
  [[ -f "$block" ]] && return 0
  mkdir -p "$ARTIFACTS"
  write_configtx
  info "creating the genesis block of channel '$CHANNEL'"
  FABRIC_CFG_PATH="$NET_DATA/config" "$FABRIC_BIN/configtxgen" -profile AiAuditChannel \
    -outputBlock "$block" -channelID "$CHANNEL" >"$LOG_DIR/configtxgen.log" 2>&1 \
    || die "configtxgen failed; see $LOG_DIR/configtxgen.log"
}
