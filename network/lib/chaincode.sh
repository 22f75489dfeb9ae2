# Chaincode as a service: build the TypeScript chaincode, package it as type "ccaas" once per org
# (each org's package points its peer at that org's own chaincode server, so package ids differ
# per org as on separate hosts), install, approve for both orgs, commit, and run the servers.
# The label carries a hash of the built chaincode, so a changed chaincode gets a new package
# and the next sequence; an unchanged one is left as it is.

CC_DIR="${AIAUDIT_CHAINCODE_DIR:-$REPO_DIR/chaincode}"
CC_ARTIFACTS="$ARTIFACTS/chaincode"

chaincode_hash() {
  local f org
  (for org in "${ORG_KEYS[@]}"; do echo "$org $(org_field "$org" 5)"; done
  cd "$CC_DIR" && for f in package.json collections.json; do [[ -f $f ]] && sha256sum "$f"; done
    [[ -d dist ]] && find dist -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
    [[ -d dist ]] || find . -path ./node_modules -prune -o -name '*.js' -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
  ) | sha256sum | cut -c1-16
}

build_chaincode() {
  info "building the chaincode in $CC_DIR"
  (cd "$CC_DIR" && npm run build --if-present) >"$LOG_DIR/chaincode-build.log" 2>&1 \
    || die "chaincode does not compile; see $LOG_DIR/chaincode-build.log:
$(tail -n 20 "$LOG_DIR/chaincode-build.log")"
}

package_chaincode() { # package_chaincode <label> <org> -> path of the package
  local label="$1" work="$CC_ARTIFACTS/$2/$1"
  mkdir -p "$work"
  printf '{"address":"%s:%s","dial_timeout":"10s","tls_required":false}\n' "$HOST" "$(org_field "$2" 5)" >"$work/connection.json"
  printf '{"type":"ccaas","label":"%s"}\n' "$label" >"$work/metadata.json"
  # Deterministic archives: same label and address, same package id.
  tar -C "$work" --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - connection.json | gzip -n >"$work/code.tar.gz"
  tar -C "$work" --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - metadata.json code.tar.gz | gzip -n >"$work/$label.tgz"
  echo "$work/$label.tgz"
}

# Node flags of the chaincode servers: a 64 MB young generation, because every 500-decision batch
# allocates a few MB of short-lived JSON and the default one made GC a sixth of the server's CPU.
CC_NODE_FLAGS=(--max-semi-space-size=64)

# until_ordered <what> <command…>: runs a lifecycle transaction, retrying (up to 60 s) while the orderer
# has no Raft leader yet, as right after `up` restarts a stopped network; any other failure is final.
until_ordered() {
  local what="$1" out
  shift
  for _ in $(seq 1 60); do
    if out="$("$@" 2>&1)"; then
      printf '%s\n' "$out" >>"$LOG_DIR/peer-cli.log"
      return 0
    fi
    printf '%s\n' "$out" >>"$LOG_DIR/peer-cli.log"
    grep -qE 'no Raft leader|SERVICE_UNAVAILABLE' <<<"$out" || die "$what failed; see $LOG_DIR/peer-cli.log"
    sleep 1
  done
  die "$what failed: the orderer had no Raft leader for 60 s; see $LOG_DIR/orderer.log and $LOG_DIR/peer-cli.log"
}

start_chaincode_server() { # start_chaincode_server <org> <package id>
  local org="$1" pkgid="$2" name="chaincode-$1" port running="$NET_DATA/chaincode-$1.id"
  port="$(org_field "$org" 5)"
  # A server runs this package with these flags, or it is restarted.
  local want="$pkgid ${CC_NODE_FLAGS[*]}"
  if pid_alive "$name" && [[ "$(cat "$running" 2>/dev/null)" == "$want" ]]; then return 0; fi
  stop_process "$name"
  require_free_port "$port" "chaincode server of $org"
  info "starting $org's chaincode server on $HOST:$port ($pkgid)"
  CORE_PEER_LOCALMSPID="$(org_field "$org" 1)" CHAINCODE_SERVER_ADDRESS="$HOST:$port" CHAINCODE_ID="$pkgid" \
    start_process "$name" "$CC_DIR" node "${CC_NODE_FLAGS[@]}" "$REPO_DIR/node_modules/fabric-shim/cli.js" server \
    --chaincode-address="$HOST:$port" --chaincode-id="$pkgid"
  echo "$want" >"$running"
  wait_for_port "$port" "$name" 30
}

committed_field() { # committed_field <version|sequence>: from querycommitted, empty if none
  { peer_as_admin operator lifecycle chaincode querycommitted -C "$CHANNEL" -n "$CC_NAME" -O json 2>/dev/null || true; } \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{process.stdout.write(String(JSON.parse(s)[process.argv[1]]??""))}catch{}})' "$1"
}

deploy_chaincode() {
  stop_process chaincode # one shared server was the layout of earlier versions
  build_chaincode
  local hash label org
  declare -A pkgids=()
  hash="$(chaincode_hash)"
  label="${CC_NAME}_$hash"
  for org in "${ORG_KEYS[@]}"; do
    local pkg pkgid
    pkg="$(package_chaincode "$label" "$org")"
    pkgid="$(peer_as_admin "$org" lifecycle chaincode calculatepackageid "$pkg")" || die "could not compute the package id"
    pkgids[$org]="$pkgid"
    start_chaincode_server "$org" "$pkgid"
    # Captured before grep: `peer … | grep -q` under pipefail fails when grep exits first (SIGPIPE).
    local installed
    installed="$(peer_as_admin "$org" lifecycle chaincode queryinstalled 2>/dev/null || true)"
    if ! grep -qF "$pkgid" <<<"$installed"; then
      info "installing $label on peer0 of $(org_field "$org" 1)"
      peer_as_admin "$org" lifecycle chaincode install "$pkg" >>"$LOG_DIR/peer-cli.log" 2>&1 \
        || die "install on $org failed; see $LOG_DIR/peer-cli.log"
    fi
  done
  if [[ "$(committed_field version)" == "$hash" ]]; then
    info "chaincode '$CC_NAME' version $hash is already committed"
    return 0
  fi
  local seq
  seq="$(committed_field sequence)"
  seq=$(( ${seq:-0} + 1 ))
  local common=(-C "$CHANNEL" -n "$CC_NAME" -v "$hash" --sequence "$seq" -o "$HOST:$ORDERER_PORT" --tls --cafile "$(orderer_tls_ca)")
  [[ -f "$CC_DIR/collections.json" ]] && common+=(--collections-config "$CC_DIR/collections.json")
  for org in "${ORG_KEYS[@]}"; do
    info "approving sequence $seq for $(org_field "$org" 1)"
    until_ordered "approve for $org" peer_as_admin "$org" lifecycle chaincode approveformyorg "${common[@]}" --package-id "${pkgids[$org]}"
  done
  local targets=()
  for org in "${ORG_KEYS[@]}"; do
    targets+=(--peerAddresses "$HOST:$(org_field "$org" 3)" --tlsRootCertFiles "$(peer_tls_ca "$org")")
  done
  info "committing chaincode '$CC_NAME' sequence $seq"
  until_ordered "commit" peer_as_admin operator lifecycle chaincode commit "${common[@]}" "${targets[@]}"
  for _ in $(seq 1 40); do
    [[ "$(committed_field sequence)" == "$seq" ]] && { info "chaincode committed: $label, sequence $seq"; return 0; }
    sleep 0.25
  done
  die "commit of sequence $seq not visible on the operator peer"
}
