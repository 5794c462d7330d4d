#!/usr/bin/env bash
# The full test suite, from a fresh clone: installs what is missing, starts the real servers,
# then lint, types, the event catalogue check, unit, integration and end-to-end tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_node_modules
ensure_servers

say "build"
npx turbo run build --output-logs=errors-only
say "lint, format, types"
npx turbo run lint typecheck --output-logs=errors-only
npx prettier --check . --log-level=warn
say "event catalogue: docs/asyncapi.yaml up to date"
npm run --silent -w @sanad/contracts asyncapi:check
say "unit tests"
npx turbo run test:unit --output-logs=full
say "integration tests (real Kafka, FerretDB, Redis)"
npx turbo run test:int --concurrency=2 --output-logs=full
say "end-to-end tests (each service in its own process)"
npx turbo run test:e2e --output-logs=full
