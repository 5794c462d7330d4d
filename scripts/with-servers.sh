#!/usr/bin/env bash
# Runs a command with the real servers started (or found) and their addresses exported.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_servers
exec "$@"
