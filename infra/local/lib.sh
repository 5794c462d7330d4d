# shellcheck shell=bash
# Shared settings and helpers for infra/local/{install,start,status,stop,env}.
# Sourced, never run. Everything listens on 127.0.0.1 only.
# shellcheck disable=SC2034 # variables are used by the scripts that source this file

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$LOCAL_DIR/../.." && pwd)"

# ---- fixed ports (the only place they are defined) -------------------------
HOST=127.0.0.1
KAFKA_PORT=19092
KAFKA_CONTROLLER_PORT=19093
FERRETDB_PORT=27018
REDIS_PORT=16379

# ---- versions ---------------------------------------------------------------
# Kafka's version lives in infra/local/kafka/pom.xml, FerretDB's in infra/local/ferretdb/go.mod.
KAFKA_VERSION=3.9.1

# ---- state, all under $ROOT/.local (ignored by git) ------------------------
STATE="$ROOT/.local"
BIN_DIR="$STATE/bin"
DATA_DIR="$STATE/data"
LOG_DIR="$STATE/logs"
RUN_DIR="$STATE/run"
KAFKA_HOME="$STATE/kafka"
KAFKA_LIBS="$KAFKA_HOME/libs"
KAFKA_CONFIG="$KAFKA_HOME/server.properties"
KAFKA_DATA="$DATA_DIR/kafka"
FERRETDB_BIN="$BIN_DIR/ferretdb"
FERRETDB_DATA="$DATA_DIR/ferretdb"
REDIS_DATA="$DATA_DIR/redis"
REDIS_CONFIG="$STATE/redis/redis.conf"

SERVERS=(kafka ferretdb redis)
READY_TIMEOUT="${LOCAL_READY_TIMEOUT:-90}" # seconds, per server
STOP_TIMEOUT=20                           # seconds before SIGKILL

# The environment the services and tests use.
local_env_lines() {
  echo "export KAFKA_BROKERS=$HOST:$KAFKA_PORT"
  echo "export MONGO_URL=mongodb://$HOST:$FERRETDB_PORT"
  echo "export REDIS_URL=redis://$HOST:$REDIS_PORT"
}

# True if KAFKA_BROKERS, MONGO_URL and REDIS_URL are all set and are not just the local servers'
# addresses (so that `eval "$(infra/local/env)"; infra/local/start` still starts the local ones).
external_servers_given() {
  [[ -n "${KAFKA_BROKERS:-}" && -n "${MONGO_URL:-}" && -n "${REDIS_URL:-}" ]] || return 1
  [[ "$(external_env_lines)" != "$(local_env_lines)" ]]
}

external_env_lines() {
  local name value q="'"
  for name in KAFKA_BROKERS MONGO_URL REDIS_URL; do
    value="${!name}"
    if [[ "$value" =~ ^[A-Za-z0-9_./:@,+=%-]*$ ]]; then
      echo "export $name=$value"
    else # single-quoted for eval
      echo "export $name=$q${value//$q/$q\\$q$q}$q"
    fi
  done
}

# ---- messages: humans read stderr, scripts read stdout ---------------------
log() { printf '[local] %s\n' "$*" >&2; }
die() {
  printf '[local] ERROR: %s\n' "$*" >&2
  exit 1
}

# ---- per-server facts -------------------------------------------------------
server_port() {
  case "$1" in
    kafka) echo "$KAFKA_PORT" ;;
    ferretdb) echo "$FERRETDB_PORT" ;;
    redis) echo "$REDIS_PORT" ;;
    *) die "unknown server $1" ;;
  esac
}
# A string that the server's /proc/PID/cmdline contains: guards against a recycled pid.
server_cmd_marker() {
  case "$1" in
    kafka) echo "kafka.Kafka" ;;
    ferretdb) echo "$FERRETDB_BIN" ;;
    redis) echo "redis-server" ;;
  esac
}
pid_file() { echo "$RUN_DIR/$1.pid"; }
log_file() { echo "$LOG_DIR/$1.log"; }

# Prints the pid if the pid file names a live process of that server.
server_pid() {
  local f pid
  f="$(pid_file "$1")"
  [[ -s "$f" ]] || return 1
  pid="$(<"$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(server_cmd_marker "$1")" || return 1
  echo "$pid"
}

# True if something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

server_up() {
  server_pid "$1" >/dev/null && port_open "$(server_port "$1")"
}

ensure_dirs() {
  mkdir -p "$BIN_DIR" "$LOG_DIR" "$RUN_DIR" "$KAFKA_HOME" "$KAFKA_DATA" "$FERRETDB_DATA" \
    "$REDIS_DATA" "$(dirname "$REDIS_CONFIG")"
}

# Hash of files (and extra strings) for the "already built from these sources" stamps.
sources_hash() {
  { for f in "$@"; do
      if [[ -f "$f" ]]; then sha256sum "$f"; else echo "$f"; fi
    done; } | sha256sum | cut -d' ' -f1
}

# Runs a Kafka tool class from the jars, quiet logging, small heap: kafka_tool [timeout SECONDS] CLASS ARGS...
kafka_tool() {
  local pre=()
  if [[ "$1" == timeout ]]; then
    pre=(timeout "$2")
    shift 2
  fi
  "${pre[@]}" java -Xms32m -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j.configuration="file:$LOCAL_DIR/kafka/tools-log4j.properties" \
    -cp "$KAFKA_LIBS/*" "$@"
}
