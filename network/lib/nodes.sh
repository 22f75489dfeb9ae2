# Node configuration and processes: orderer.yaml and one core.yaml per peer, written by us,
# every path inside the data folder (nothing under /var/hyperledger), no Docker.

write_orderer_yaml() {
  local dir="$NET_DATA/orderer" od
  od="$(orderer_dir)"
  mkdir -p "$dir"
  cat >"$dir/orderer.yaml" <<YAML
# Written by network/lib/nodes.sh
General:
  ListenAddress: $HOST
  ListenPort: $ORDERER_PORT
  TLS:
    Enabled: true
    PrivateKey: $od/tls/server.key
    Certificate: $od/tls/server.crt
    RootCAs: [$od/tls/ca.crt]
    ClientAuthRequired: false
  Keepalive: {ServerMinInterval: 60s, ServerInterval: 7200s, ServerTimeout: 20s}
  Backoff: {BaseDelay: 1s, Multiplier: 1.6, MaxDelay: 2m}
  MaxRecvMsgSize: 104857600
  MaxSendMsgSize: 104857600
  Cluster:
    SendBufferSize: 100
    ClientCertificate: $od/tls/server.crt
    ClientPrivateKey: $od/tls/server.key
  BootstrapMethod: none
  LocalMSPDir: $od/msp
  LocalMSPID: OrdererMSP
  BCCSP: {Default: SW, SW: {Hash: SHA2, Security: 256}}
  Authentication: {TimeWindow: 15m}
FileLedger:
  Location: $dir/ledger
Operations:
  ListenAddress: $HOST:$ORDERER_OPS_PORT
  TLS: {Enabled: false}
Metrics:
  Provider: prometheus
Admin:
  ListenAddress: $HOST:$ORDERER_ADMIN_PORT
  TLS:
    Enabled: true
    Certificate: $od/tls/server.crt
    PrivateKey: $od/tls/server.key
    ClientAuthRequired: true
    ClientRootCAs: [$od/tls/ca.crt]
ChannelParticipation:
  Enabled: true
  MaxRequestBodySize: 1 MB
Consensus:
  WALDir: $dir/etcdraft/wal
  SnapDir: $dir/etcdraft/snapshot
YAML
}

write_core_yaml() { # write_core_yaml <org>
  local org="$1" msp domain port ops pd dir
  msp="$(org_field "$org" 1)"; domain="$(org_field "$org" 2)"
  port="$(org_field "$org" 3)"; ops="$(org_field "$org" 4)"
  pd="$(peer_dir "$org")"; dir="$NET_DATA/peers/$org"
  mkdir -p "$dir"
  cat >"$dir/core.yaml" <<YAML
# Written by network/lib/nodes.sh
peer:
  id: peer0.$domain
  networkId: aiaudit
  listenAddress: $HOST:$port
  address: $HOST:$port
  chaincodeListenAddress: $HOST:$((port + 1))
  chaincodeAddress: $HOST:$((port + 1))
  addressAutoDetect: false
  gateway: {enabled: true, endorsementTimeout: 30s, broadcastTimeout: 30s, dialTimeout: 2m}
  keepalive:
    interval: 7200s
    timeout: 20s
    minInterval: 60s
    client: {interval: 60s, timeout: 20s}
    deliveryClient: {interval: 60s, timeout: 20s}
  gossip:
    bootstrap: $HOST:$port
    externalEndpoint: $HOST:$port
    useLeaderElection: false
    orgLeader: true
    membershipTrackerInterval: 5s
    maxBlockCountToStore: 10
    maxPropagationBurstLatency: 10ms
    maxPropagationBurstSize: 10
    propagateIterations: 1
    propagatePeerNum: 3
    pullInterval: 4s
    pullPeerNum: 3
    requestStateInfoInterval: 4s
    publishStateInfoInterval: 4s
    publishCertPeriod: 10s
    skipBlockVerification: false
    dialTimeout: 3s
    connTimeout: 2s
    recvBuffSize: 20
    sendBuffSize: 200
    digestWaitTime: 1s
    requestWaitTime: 1500ms
    responseWaitTime: 2s
    aliveTimeInterval: 5s
    aliveExpirationTimeout: 25s
    reconnectInterval: 25s
    maxConnectionAttempts: 120
    msgExpirationFactor: 20
    election: {startupGracePeriod: 15s, membershipSampleInterval: 1s, leaderAliveThreshold: 10s, leaderElectionDuration: 5s}
    pvtData:
      pullRetryThreshold: 60s
      transientstoreMaxBlockRetention: 20000
      pushAckTimeout: 3s
      btlPullMargin: 10
      reconcileBatchSize: 10
      reconcileSleepInterval: 1m
      reconciliationEnabled: true
      skipPullingInvalidTransactionsDuringCommit: false
      implicitCollectionDisseminationPolicy: {requiredPeerCount: 0, maxPeerCount: 1}
    state: {enabled: false, checkInterval: 10s, responseTimeout: 3s, batchSize: 10, blockBufferSize: 20, maxRetries: 3}
  tls:
    enabled: true
    clientAuthRequired: false
    cert: {file: $pd/tls/server.crt}
    key: {file: $pd/tls/server.key}
    rootcert: {file: $pd/tls/ca.crt}
  authentication: {timewindow: 15m}
  fileSystemPath: $dir/production
  BCCSP: {Default: SW, SW: {Hash: SHA2, Security: 256}}
  mspConfigPath: $pd/msp
  localMspId: $msp
  localMspType: bccsp
  client: {connTimeout: 3s}
  deliveryclient:
    blockGossipEnabled: false
    reconnectTotalTimeThreshold: 3600s
    connTimeout: 3s
    reConnectBackoffThreshold: 3600s
    blockCensorshipTimeoutKey: 30s
    minimalReconnectInterval: 100ms
    policy: cluster
  profile: {enabled: false}
  handlers:
    authFilters: [{name: DefaultAuth}, {name: ExpirationCheck}, {name: TimeWindowCheck}]
    decorators: [{name: DefaultDecorator}]
    endorsers: {escc: {name: DefaultEndorsement}}
    validators: {vscc: {name: DefaultValidation}}
  discovery: {enabled: true, authCacheEnabled: true, authCacheMaxSize: 1000, authCachePurgeRetentionRatio: 0.75, orgMembersAllowedAccess: false}
  limits:
    concurrency: {endorserService: 2500, deliverService: 2500, gatewayService: 500}
  maxRecvMsgSize: 104857600
  maxSendMsgSize: 104857600
vm:
  endpoint: ""
chaincode:
  externalBuilders:
    - name: aiaudit-ccaas
      path: $NET_DIR/builders/ccaas
  installTimeout: 300s
  startuptimeout: 300s
  executetimeout: 30s
  mode: net
  keepalive: 0
  system: {_lifecycle: enable, cscc: enable, lscc: enable, qscc: enable}
  logging: {level: info, shim: warning}
  runtimeParams: {useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1000}
ledger:
  state:
    stateDatabase: goleveldb
    totalQueryLimit: 100000
  history: {enableHistoryDatabase: true}
  pvtdataStore:
    collElgProcMaxDbBatchSize: 5000
    collElgProcDbBatchesInterval: 1000
    deprioritizedDataReconcilerInterval: 60m
    purgeInterval: 100
    purgedKeyAuditLogging: true
  snapshots: {rootDir: $dir/snapshots}
operations:
  listenAddress: $HOST:$ops
  tls: {enabled: false}
metrics:
  provider: prometheus
YAML
}

start_orderer() {
  pid_alive orderer && { info "orderer already running"; return 0; }
  write_orderer_yaml
  info "starting orderer on $HOST:$ORDERER_PORT (admin $ORDERER_ADMIN_PORT)"
  FABRIC_CFG_PATH="$NET_DATA/orderer" FABRIC_LOGGING_SPEC="${ORDERER_LOGGING:-info}" \
    start_process orderer "$NET_DATA/orderer" "$FABRIC_BIN/orderer"
  wait_for_port "$ORDERER_PORT" orderer
  wait_for_port "$ORDERER_ADMIN_PORT" orderer
}

start_peer() { # start_peer <org>
  local org="$1" port
  port="$(org_field "$org" 3)"
  pid_alive "peer-$org" && { info "peer of $org already running"; return 0; }
  write_core_yaml "$org"
  info "starting peer0 of $(org_field "$org" 1) on $HOST:$port"
  FABRIC_CFG_PATH="$NET_DATA/peers/$org" FABRIC_LOGGING_SPEC="${PEER_LOGGING:-info}" CORE_VM_ENDPOINT="" \
    start_process "peer-$org" "$NET_DATA/peers/$org" "$FABRIC_BIN/peer" node start
  wait_for_port "$port" "peer-$org"
}

# Run the peer CLI as an org's admin against its peer.
peer_as_admin() { # peer_as_admin <org> <peer args...>
  local org="$1"
  shift
  FABRIC_CFG_PATH="$NET_DATA/peers/$org" CORE_PEER_LOCALMSPID="$(org_field "$org" 1)" \
    CORE_PEER_MSPCONFIGPATH="$(org_admin_msp "$org")" CORE_PEER_ADDRESS="$HOST:$(org_field "$org" 3)" \
    CORE_PEER_TLS_ENABLED=true CORE_PEER_TLS_ROOTCERT_FILE="$(peer_tls_ca "$org")" \
    FABRIC_LOGGING_SPEC=warning "$FABRIC_BIN/peer" "$@"
}
