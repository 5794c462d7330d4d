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
npx eslint . --max-warnings=0
npx prettier --check . --log-level=warn
npx turbo run typecheck --output-logs=errors-only
npx tsc -p tests/e2e/tsconfig.json --noEmit
say "event catalogue: docs/asyncapi.yaml up to date"
npm run --silent -w @sanad/contracts asyncapi:check
say "unit tests"
npx jest --selectProjects unit
say "integration tests (real Kafka, FerretDB, Redis)"
npx jest --selectProjects integration --maxWorkers=2
say "end-to-end tests (each service in its own process)"
npx jest --selectProjects e2e --runInBand
