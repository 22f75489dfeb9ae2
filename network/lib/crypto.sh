# Crypto material: cryptogen keys and certificates for the three orgs, TLS on everywhere.
# Generated on the first `up` into the data folder (never committed); kept across restarts.

write_crypto_config() {
  local f="$NET_DATA/crypto-config.yaml" org
  {
    cat <<YAML
# Written by network/lib/crypto.sh. Users: User1 recorder, User2 officer, User3 regulator
# (roles are granted on the ledger; see README).
OrdererOrgs:
  - Name: OrdererOrg
    Domain: $ORDERER_DOMAIN
    EnableNodeOUs: true
    Specs:
      - Hostname: orderer0
        SANS: [localhost, 127.0.0.1]
PeerOrgs:
YAML
    for org in "${ORG_KEYS[@]}"; do
      cat <<YAML
  - Name: ${org^}Org
    Domain: $(org_field "$org" 2)
    EnableNodeOUs: true
    Specs:
      - Hostname: peer0
        SANS: [localhost, 127.0.0.1]
    Users:
      Count: 3
YAML
    done
  } >"$f"
}

generate_crypto() {
  if [[ -d "$CRYPTO/peerOrganizations" ]]; then return 0; fi
  info "generating crypto material for OrdererOrg, OperatorOrg, RegulatorOrg"
  mkdir -p "$NET_DATA"
  write_crypto_config
  "$FABRIC_BIN/cryptogen" generate --config="$NET_DATA/crypto-config.yaml" --output="$CRYPTO" >/dev/null \
    || die "cryptogen failed"
}

# Paths into the cryptogen tree
org_dir() { echo "$CRYPTO/peerOrganizations/$(org_field "$1" 2)"; }
peer_dir() { echo "$(org_dir "$1")/peers/peer0.$(org_field "$1" 2)"; }
org_admin_msp() { echo "$(org_dir "$1")/users/Admin@$(org_field "$1" 2)/msp"; }
peer_tls_ca() { echo "$(peer_dir "$1")/tls/ca.crt"; }
orderer_org_dir() { echo "$CRYPTO/ordererOrganizations/$ORDERER_DOMAIN"; }
orderer_dir() { echo "$(orderer_org_dir)/orderers/$ORDERER_HOST"; }
orderer_tls_ca() { echo "$(orderer_dir)/tls/ca.crt"; }
