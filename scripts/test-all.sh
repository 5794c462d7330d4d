#!/usr/bin/env bash
# The full test suite, from a fresh clone: installs what is missing, starts the real servers,
# then lint, types, the event catalogue check, unit, integration and end-to-end tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_node_modules
ensure_servers
ensure_chromium

say "build"
npx turbo run build --output-logs=errors-only
say "lint, format, types"
npx turbo run lint typecheck --output-logs=errors-only
npx prettier --check . --log-level=warn
say "event catalogue: docs/asyncapi.yaml up to date"
npm run --silent -w @sanad/contracts asyncapi:check
# Each test phase has a hard time limit, so a test that never ends fails the run instead of
# holding CI; its output is kept to count the results at the end.
results="$ROOT/.local/logs/test-results.log"
mkdir -p "$(dirname "$results")"
: >"$results"
phase() {
  local limit=$1
  shift
  timeout --foreground "$limit" "$@" 2>&1 | tee -a "$results"
}

say "unit tests"
phase 300 npx turbo run test:unit --output-logs=full
say "integration tests (real Kafka, FerretDB, Redis)"
phase 900 npx turbo run test:int --concurrency=2 --output-logs=full
say "end-to-end tests (each service in its own process)"
phase 600 npx turbo run test:e2e --output-logs=full

# jest prints "Tests: N failed, N passed, N total" per workspace; one closing line for the run.
sed -n 's/.*Tests: *//p' "$results" | awk '
  { for (i = 1; i < NF; i++) { if ($(i + 1) ~ /^passed/) p += $i; if ($(i + 1) ~ /^failed/) f += $i } }
  END { printf "\nTests: %d passed, %d failed\n", p, f; exit (f > 0 || p == 0) }'
