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

# Token keys, each pair made once, on the first start, and kept (git-ignored) under .local/keys:
# - service-token: the web app signs the users' tokens, every service checks them;
# - checkin-token: the check-in service signs, with a key of its own, its requests to the placement
#   service (to mail check-in invitations); placement checks them with the public half.
KEY_DIR="$ROOT/.local/keys"
key_pair() {
  local name="$1"
  [[ -s "$KEY_DIR/$name.private.jwk" && -s "$KEY_DIR/$name.public.jwk" ]] && return 0
  say "$name keys (first start): $KEY_DIR"
  mkdir -p "$KEY_DIR"
  chmod 700 "$KEY_DIR"
  (umask 077 && node -e '
    const { renameSync, writeFileSync } = require("node:fs");
    const { generateServiceTokenKeys } = require("@sanad/auth");
    const [dir, name] = process.argv.slice(1);
    const { privateJwk, publicJwk } = generateServiceTokenKeys();
    for (const [half, value] of [["private", privateJwk], ["public", publicJwk]]) {
      writeFileSync(`${dir}/${name}.${half}.jwk.tmp`, value + "\n");
      renameSync(`${dir}/${name}.${half}.jwk.tmp`, `${dir}/${name}.${half}.jwk`);
    }' "$KEY_DIR" "$name")
}
key_pair service-token
key_pair checkin-token
SERVICE_TOKEN_PUBLIC_KEY="$(<"$KEY_DIR/service-token.public.jwk")"
SERVICE_TOKEN_PRIVATE_KEY="$(<"$KEY_DIR/service-token.private.jwk")"
CHECKIN_TOKEN_PUBLIC_KEY="$(<"$KEY_DIR/checkin-token.public.jwk")"
CHECKIN_TOKEN_PRIVATE_KEY="$(<"$KEY_DIR/checkin-token.private.jwk")"
export SERVICE_TOKEN_PUBLIC_KEY SERVICE_TOKEN_PRIVATE_KEY CHECKIN_TOKEN_PUBLIC_KEY CHECKIN_TOKEN_PRIVATE_KEY

mkdir -p "$SERVICE_RUN_DIR" "$SERVICE_LOG_DIR"

# The demo's mailbox: the placement service mails employers their signed links through it, and its
# page shows them, so that a link can be opened on this machine. Not for production: set SMTP_URL
# to a real server there.
MAILBOX_SMTP_PORT="${MAILBOX_SMTP_PORT:-4125}"
MAILBOX_HTTP_PORT="${MAILBOX_HTTP_PORT:-4180}"
export MAILBOX_SMTP_PORT MAILBOX_HTTP_PORT
if ! { [[ -f "$SERVICE_RUN_DIR/mailbox.pid" ]] && kill -0 "$(cat "$SERVICE_RUN_DIR/mailbox.pid")" 2>/dev/null; }; then
  setsid nohup npx tsx scripts/dev-mailbox.ts >>"$SERVICE_LOG_DIR/mailbox.log" 2>&1 </dev/null &
  echo $! >"$SERVICE_RUN_DIR/mailbox.pid"
fi
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$MAILBOX_HTTP_PORT/" >/dev/null 2>&1 && break
  sleep 0.5
done
export SMTP_URL="${SMTP_URL:-smtp://127.0.0.1:$MAILBOX_SMTP_PORT}"
export WEB_BASE_URL="${WEB_BASE_URL:-http://localhost:${SERVICE_PORT[web]}}"

for name in "${SERVICES[@]}"; do
  pidfile="$SERVICE_RUN_DIR/$name.pid"
  if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "$name already running (pid $(cat "$pidfile"))" >&2
    continue
  fi
  # Only the web app signs service tokens, only the check-in service check-in tokens: every other
  # service gets the public keys alone.
  unset_private=()
  [[ "$name" == web ]] || unset_private+=(-u SERVICE_TOKEN_PRIVATE_KEY)
  [[ "$name" == checkin ]] || unset_private+=(-u CHECKIN_TOKEN_PRIVATE_KEY)
  env "${unset_private[@]}" PORT="${SERVICE_PORT[$name]}" \
    setsid nohup node "services/$name/dist/main.js" \
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

Sanad is running. Open the web app:

  http://localhost:${SERVICE_PORT[web]}

  demo accounts (password: sanad-demo-password)
    admin@sanad.test      administrator: users, programmes, audit log
    manager@sanad.test    programme manager
    coach@sanad.test      job coach (coach2@sanad.test: another caseload)
    employer@sanad.test   employer user

  services (each verifies a service token; /healthz /readyz /metrics need none)
    placement  http://127.0.0.1:${SERVICE_PORT[placement]}   /placements, /participants
    check-in   http://127.0.0.1:${SERVICE_PORT[checkin]}   /placements/:id/follow-ups
    alerting   http://127.0.0.1:${SERVICE_PORT[alerting]}   /placements/:id/facts
    a 10-minute token of a demo user for one service, for curl:
      SERVICE_TOKEN_PRIVATE_KEY="\$(cat .local/keys/service-token.private.jwk)" \\
        npx tsx scripts/seed-demo.ts --token admin placement
  employer mails (the demo mailbox: open a confirmation link from here)
              http://127.0.0.1:$MAILBOX_HTTP_PORT
  logs        .local/logs/<service>.log
  stop with   npm stop
MSG
