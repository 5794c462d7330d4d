#!/usr/bin/env bash
# Starts the whole system on this machine: the real servers, every service (built), demo data.
# Idempotent: what already runs is left running. Stop with `npm stop`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_node_modules
ensure_servers
say "build"
npx turbo run build --output-logs=errors-only

mkdir -p "$SERVICE_RUN_DIR" "$SERVICE_LOG_DIR"
for name in "${SERVICES[@]}"; do
  pidfile="$SERVICE_RUN_DIR/$name.pid"
  if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "$name already running (pid $(cat "$pidfile"))" >&2
    continue
  fi
  PORT="${SERVICE_PORT[$name]}" setsid nohup node "services/$name/dist/main.js" \
    >>"$SERVICE_LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
done

say "waiting for every service to be ready"
for name in "${SERVICES[@]}"; do
  port="${SERVICE_PORT[$name]}"
  for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$(cat "$SERVICE_RUN_DIR/$name.pid")" 2>/dev/null; then
      echo "$name stopped; last lines of $SERVICE_LOG_DIR/$name.log:" >&2
      tail -n 30 "$SERVICE_LOG_DIR/$name.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { echo "$name is not ready" >&2; exit 1; }
done

say "demo data"
npx tsx scripts/seed-demo.ts "http://127.0.0.1:${SERVICE_PORT[placement]}" "http://127.0.0.1:${SERVICE_PORT[checkin]}"

cat <<MSG

Sanad is running.
  placement service  http://127.0.0.1:${SERVICE_PORT[placement]}   POST /placements, GET /placements/:id
  check-in service   http://127.0.0.1:${SERVICE_PORT[checkin]}   GET /placements/:id/follow-ups
  alerting service   http://127.0.0.1:${SERVICE_PORT[alerting]}   GET /placements/:id/facts
  each also has      /healthz  /readyz  /metrics
  logs               .local/logs/<service>.log
  stop with          npm stop
MSG
