# Shared by start.sh and test.sh: install what is missing before anything runs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '[aiaudit] %s\n' "$*"; }

ensure_node_modules() {
  # The lockfile is the source of truth; reinstall when it changed since the last install.
  local stamp="node_modules/.aiaudit-lock-sha"
  local want
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [[ -d node_modules && "$(cat "$stamp" 2>/dev/null)" == "$want" ]]; then return 0; fi
  say "installing npm dependencies (npm install, from package-lock.json)"
  # npm ci refuses this lockfile (npm 11 leaves out other platforms' optional rollup packages)
  npm install --no-audit --no-fund
  echo "$want" >"$stamp"
}

ensure_tools() {
  local missing=()
  command -v go >/dev/null || missing+=(go)
  command -v gzip >/dev/null || missing+=(gzip)
  command -v tar >/dev/null || missing+=(tar)
  if ((${#missing[@]})); then
    echo "[aiaudit] ERROR: missing tools: ${missing[*]} (Go >= 1.24 builds Fabric; install it and run again)" >&2
    exit 1
  fi
}
