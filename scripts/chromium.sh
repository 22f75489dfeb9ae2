#!/usr/bin/env bash
# Debian's chromium for the web console's browser tests (playwright-core drives it and downloads no browser
# of its own). `bash scripts/chromium.sh ensure` installs it when /usr/bin/chromium is missing; `check` only
# reports. Sourcing the file defines ensure_chromium for other scripts.
set -euo pipefail

CHROMIUM_BIN=/usr/bin/chromium

chromium_say() { printf '[aiaudit] %s\n' "$*"; }
chromium_fail() { printf '[aiaudit] ERROR: %s\n' "$*" >&2; return 1; }

ensure_chromium() {
  if [[ -x "$CHROMIUM_BIN" ]]; then return 0; fi
  command -v apt-get >/dev/null || chromium_fail "$CHROMIUM_BIN is missing and there is no apt-get here: install Chromium so that it is at $CHROMIUM_BIN (the browser tests of the web console need it)"
  local -a as_root=()
  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      as_root=(sudo -n)
    else
      chromium_fail "$CHROMIUM_BIN is missing and installing it needs root: run 'sudo apt-get update && sudo apt-get install -y chromium' (or run this as root), then again"
    fi
  fi
  chromium_say "installing Debian's chromium for the web console's browser tests (apt-get)"
  ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update
  ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
  [[ -x "$CHROMIUM_BIN" ]] || chromium_fail "apt-get installed chromium but $CHROMIUM_BIN is still missing"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-ensure}" in
    ensure) ensure_chromium ;;
    check)
      if [[ -x "$CHROMIUM_BIN" ]]; then chromium_say "chromium: $CHROMIUM_BIN"; else chromium_fail "chromium: $CHROMIUM_BIN is missing (bash scripts/chromium.sh ensure installs it)"; fi
      ;;
    *)
      echo "usage: bash scripts/chromium.sh [ensure|check]" >&2
      exit 2
      ;;
  esac
fi
