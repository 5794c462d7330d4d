# shellcheck shell=bash
# Shared by scripts/{test-all,start,stop}.sh. Sourced, never run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES=(placement checkin alerting web)
declare -A SERVICE_PORT=([placement]=4101 [checkin]=4102 [alerting]=4103 [web]=4100)
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

# Debian's Chromium, for the browser tests (playwright-core drives it; axe-core checks each page).
ensure_chromium() {
  if [[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then return 0; fi
  command -v apt-get >/dev/null || { echo "Chromium is needed for the browser tests: install it and set CHROMIUM_PATH" >&2; return 1; }
  local sudo=()
  [[ "$(id -u)" -eq 0 ]] || sudo=(sudo)
  say "installing Chromium from Debian's packages (browser tests)"
  mkdir -p "$ROOT/.local/logs"
  { "${sudo[@]}" apt-get update -q && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q \
      --no-install-recommends chromium fonts-noto-core; } >>"$ROOT/.local/logs/install.log" 2>&1 \
    || { echo "installing Chromium failed; see .local/logs/install.log" >&2; tail -n 20 "$ROOT/.local/logs/install.log" >&2; return 1; }
}
