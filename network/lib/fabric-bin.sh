# Fabric binaries: built once with `go install` from the pinned Fabric commit into a cache
# outside the repo. A stamp file records the commit; a new pin rebuilds.

FABRIC_TOOLS=(peer orderer configtxgen osnadmin cryptogen)

fabric_bins_present() {
  local t
  for t in "${FABRIC_TOOLS[@]}"; do [[ -x "$FABRIC_BIN/$t" ]] || return 1; done
}

ensure_fabric_binaries() {
  if [[ -n "${FABRIC_BIN_DIR:-}" ]]; then
    fabric_bins_present || die "FABRIC_BIN_DIR=$FABRIC_BIN_DIR lacks one of: ${FABRIC_TOOLS[*]}"
    return 0
  fi
  local stamp="$FABRIC_CACHE_DIR/STAMP"
  if fabric_bins_present && [[ "$(cat "$stamp" 2>/dev/null)" == "$FABRIC_COMMIT" ]]; then
    return 0
  fi
  command -v go >/dev/null || die "Go is needed to build Fabric (go install); install Go >= 1.24 first"
  info "building Fabric $FABRIC_VERSION_LABEL ($FABRIC_COMMIT) into $FABRIC_BIN — once, then cached (about 3 min on 2 cores)"
  mkdir -p "$FABRIC_BIN"
  local t pkgs=()
  for t in "${FABRIC_TOOLS[@]}"; do pkgs+=("github.com/hyperledger/fabric/cmd/$t@$FABRIC_COMMIT"); done
  local log="$FABRIC_CACHE_DIR/build.log"
  if ! GOBIN="$FABRIC_BIN" GOFLAGS="${GOFLAGS:-} -trimpath" go install "${pkgs[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    die "could not build Fabric with: GOBIN=$FABRIC_BIN go install ${pkgs[0]} (and ${FABRIC_TOOLS[*]:1}).
  If the Go module proxy refuses the Fabric module, put prebuilt Fabric $FABRIC_VERSION_LABEL binaries
  (${FABRIC_TOOLS[*]}) in a folder and set FABRIC_BIN_DIR to it, or place them in $FABRIC_BIN and
  write '$FABRIC_COMMIT' to $stamp."
  fi
  echo "$FABRIC_COMMIT" >"$stamp"
  info "Fabric binaries ready in $FABRIC_BIN"
}
