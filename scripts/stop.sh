#!/usr/bin/env bash
# Stops the services started by `npm start`, then the local servers. `--wipe` also deletes their data.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for name in "${SERVICES[@]}" mailbox; do
  pidfile="$SERVICE_RUN_DIR/$name.pid"
  [[ -f "$pidfile" ]] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    # Each was started with setsid: its process group goes with it (npx leaves a child running).
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"; }
    echo "$name stopped" >&2
  fi
  rm -f "$pidfile"
done
"$ROOT/infra/local/stop" "$@"
