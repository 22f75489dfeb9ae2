# Shared settings for the network scripts: paths, ports, logging, pid files.
# Every value can be overridden from the environment (see README, "Configuration").

NET_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$NET_DIR/.." && pwd)"

FABRIC_COMMIT="${FABRIC_COMMIT:-86c1172bec37e6590c6b1ae6f847833df48d65fc}" # v3.1.5
FABRIC_VERSION_LABEL="${FABRIC_VERSION_LABEL:-v3.1.5}"
FABRIC_CACHE_DIR="${FABRIC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aiaudit/fabric-$FABRIC_COMMIT}"
FABRIC_BIN="${FABRIC_BIN_DIR:-$FABRIC_CACHE_DIR/bin}"

DATA_DIR="${AIAUDIT_DATA_DIR:-$REPO_DIR/.data}"
NET_DATA="$DATA_DIR/network"
CRYPTO="$NET_DATA/crypto"
LOG_DIR="$NET_DATA/logs"
PID_DIR="$NET_DATA/pids"
ARTIFACTS="$NET_DATA/artifacts"

CHANNEL="${AIAUDIT_CHANNEL:-aiaudit}"
CC_NAME="${AIAUDIT_CHAINCODE:-aiaudit}"
HOST="127.0.0.1"

ORDERER_PORT="${ORDERER_PORT:-7050}"
ORDERER_ADMIN_PORT="${ORDERER_ADMIN_PORT:-7053}"
ORDERER_OPS_PORT="${ORDERER_OPS_PORT:-8443}"
OPERATOR_PEER_PORT="${OPERATOR_PEER_PORT:-7051}"
OPERATOR_OPS_PORT="${OPERATOR_OPS_PORT:-9443}"
REGULATOR_PEER_PORT="${REGULATOR_PEER_PORT:-9051}"
REGULATOR_OPS_PORT="${REGULATOR_OPS_PORT:-9444}"
# Each org runs its own chaincode server (as it would on its own hosts); stub.getMspID() reads its env.
OPERATOR_CC_PORT="${OPERATOR_CC_PORT:-9999}"
REGULATOR_CC_PORT="${REGULATOR_CC_PORT:-9998}"
# Orderer batching: a transaction's latency is about BatchTimeout (DESIGN §8, §10).
BATCH_TIMEOUT="${AIAUDIT_BATCH_TIMEOUT:-250ms}"
BATCH_MAX_COUNT="${AIAUDIT_BATCH_MAX_COUNT:-500}"

ORDERER_DOMAIN="orderer.aiaudit.local"
ORDERER_HOST="orderer0.$ORDERER_DOMAIN"
# Org table: key -> "MSPID domain peerPort opsPort chaincodePort"
declare -A ORGS=(
  [operator]="OperatorOrgMSP operator.aiaudit.local $OPERATOR_PEER_PORT $OPERATOR_OPS_PORT $OPERATOR_CC_PORT"
  [regulator]="RegulatorOrgMSP regulator.aiaudit.local $REGULATOR_PEER_PORT $REGULATOR_OPS_PORT $REGULATOR_CC_PORT"
)
ORG_KEYS=(operator regulator)

org_field() { # org_field <org> <1=msp|2=domain|3=port|4=ops|5=chaincode port>
  local fields
  read -r -a fields <<<"${ORGS[$1]}"
  echo "${fields[$(($2 - 1))]}"
}

info() { printf '[aiaudit-net] %s\n' "$*"; }
warn() { printf '[aiaudit-net] WARNING: %s\n' "$*" >&2; }
die() { printf '[aiaudit-net] ERROR: %s\n' "$*" >&2; exit 1; }

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

require_free_port() { # require_free_port <port> <what>
  if port_in_use "$1"; then
    die "port $1 ($2) is already in use on $HOST; stop what holds it (e.g. 'ss -ltnp | grep :$1') or set the matching *_PORT variable"
  fi
}

pid_alive() { # pid_alive <name>
  local f="$PID_DIR/$1.pid"
  [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

start_process() { # start_process <name> <workdir> <command...>; env is inherited
  local name="$1" workdir="$2"
  shift 2
  mkdir -p "$PID_DIR" "$LOG_DIR"
  (cd "$workdir" && exec setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null) &
  echo $! >"$PID_DIR/$name.pid"
}

stop_process() { # stop_process <name>: only the pid this script started
  local f="$PID_DIR/$1.pid" pid
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    info "stopped $1 (pid $pid)"
  fi
  rm -f "$f"
}

wait_for_port() { # wait_for_port <port> <name> [seconds]
  local limit="${3:-30}"
  for _ in $(seq 1 $((limit * 10))); do
    port_in_use "$1" && return 0
    pid_alive "$2" || die "$2 exited during start-up; see $LOG_DIR/$2.log:
$(tail -n 15 "$LOG_DIR/$2.log" 2>/dev/null)"
    sleep 0.1
  done
  die "$2 did not open port $1 within ${limit}s; see $LOG_DIR/$2.log"
}
