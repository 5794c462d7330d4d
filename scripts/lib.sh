# shellcheck shell=bash
# Shared by scripts/{test-all,start,stop}.sh. Sourced, never run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES=(placement checkin alerting)
declare -A SERVICE_PORT=([placement]=4101 [checkin]=4102 [alerting]=4103)
SERVICE_RUN_DIR="$ROOT/.local/run/services"
SERVICE_LOG_DIR="$ROOT/.local/logs"

say() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

# Installs the npm packages when node_modules is missing or older than the lock file.
# `npm ci` first; npm 11 writes lock files without the other platforms' optional packages
# (npm/cli#4828, #8320) and then its own `npm ci` refuses them, so `npm install` (which keeps the
# locked versions) is the fallback.
ensure_node_modules() {
  local stamp="$ROOT/node_modules/.installed-from-lock"
  if [[ ! -f "$stamp" || "$ROOT/package-lock.json" -nt "$stamp" ]]; then
    say "installing npm packages"
    (cd "$ROOT" && { npm ci --no-audit --no-fund 2>/dev/null || npm install --no-audit --no-fund; })
    touch "$stamp"
  fi
}

# Starts (or finds) Kafka, FerretDB and Redis and exports where they are.
ensure_servers() {
  say "starting the local servers (Kafka, FerretDB, Redis)"
  local lines
  lines="$("$ROOT/infra/local/start")"
  eval "$lines"
  export KAFKA_BROKERS MONGO_URL REDIS_URL
}
