#!/usr/bin/env bash
# Validates docker-compose.yml and the Dockerfile it builds, without a Docker engine.
#
# Main route: infra/compose/validate, a small Go program built into .local/bin/compose-validate
# (rebuilt only when its sources or the Go version change). It loads the file with the official
# Compose Specification loader (compose-go, what `docker compose` itself uses: JSON schema +
# consistency checks), lints each built Dockerfile with BuildKit's own front end (the rules of
# `docker build --check`), and checks this repository's rules: SERVICE build args name a real
# services/<SERVICE>/src/main.ts, published ports are bound to 127.0.0.1, COPY sources exist and
# are not dockerignored, every npm workspace manifest is copied before `npm ci`, the image's PORT
# and EXPOSE match the compose file. See infra/compose/validate/*.go.
#
# Fallback, used only when Go >= the version in go.mod is missing (or COMPOSE_VALIDATOR=docker-compose):
# Debian's docker-compose package (`docker-compose config -q`, an older schema) plus the same repo
# rules done with grep.
#
# Usage: bash scripts/check-compose.sh          (exit 0 = valid; messages on stderr)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
COMPOSE_FILE="docker-compose.yml"
SRC="infra/compose/validate"
BIN_DIR="$ROOT/.local/bin"
BIN="$BIN_DIR/compose-validate"
LOG_DIR="$ROOT/.local/logs"
start=$(date +%s%N)

say() { printf '[check-compose] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
elapsed() { echo "$((($(date +%s%N) - start) / 1000000)) ms"; }

[[ -f "$COMPOSE_FILE" ]] || die "$COMPOSE_FILE not found in $ROOT"
mkdir -p "$BIN_DIR" "$LOG_DIR"

go_ok() {
  command -v go >/dev/null || return 1
  local need have
  need="$(awk '$1 == "go" {print $2; exit}' "$SRC/go.mod")"
  have="$(go env GOVERSION | sed 's/^go//')"
  [[ "$(printf '%s\n' "$need" "$have" | sort -V | head -1)" == "$need" ]]
}

# ---- main route: compose-go + BuildKit, built from infra/compose/validate --------------------
build_validator() {
  local stamp="$BIN.sha256" want log="$LOG_DIR/compose-validate-build.log"
  want="$( (cd "$SRC" && cat go.mod go.sum ./*.go; go env GOVERSION GOOS GOARCH) | sha256sum | cut -d' ' -f1)"
  if [[ -x "$BIN" && -f "$stamp" && "$(<"$stamp")" == "$want" ]]; then
    return 0
  fi
  say "building $SRC -> .local/bin/compose-validate (first time: a minute or two; log: .local/logs/compose-validate-build.log)"
  # go.sum is complete and committed: -mod=readonly turns a stale one into an error instead of
  # a silent change; GOTOOLCHAIN=local never downloads another Go.
  if ! (cd "$SRC" && GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false" \
    go build -trimpath -o "$BIN.tmp" .) >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "building the validator failed (full log: $log)"
  fi
  mv -f "$BIN.tmp" "$BIN"
  echo "$want" >"$stamp"
}

# ---- fallback: Debian's docker-compose + grep checks -----------------------------------------
fallback() {
  say "fallback: Debian's docker-compose ($1)"
  if ! command -v docker-compose >/dev/null; then
    command -v apt-get >/dev/null || die "neither Go nor apt-get: cannot validate $COMPOSE_FILE"
    local sudo=()
    [[ "$(id -u)" -eq 0 ]] || sudo=(sudo)
    say "apt-get install docker-compose (log: .local/logs/apt-docker-compose.log)"
    { "${sudo[@]}" apt-get update -q && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" \
      apt-get install -y -q --no-install-recommends docker-compose; } \
      >"$LOG_DIR/apt-docker-compose.log" 2>&1 || die "apt-get install docker-compose failed"
  fi
  # docker-compose 1.29's schema predates the top-level `name:`: check a copy without it.
  local copy="$LOG_DIR/docker-compose.fallback.yml"
  sed '/^name:/d' "$COMPOSE_FILE" >"$copy"
  docker-compose -f "$copy" --project-directory "$ROOT" config -q \
    || die "$COMPOSE_FILE is not valid (docker-compose config)"
  docker-compose -f "$copy" --project-directory "$ROOT" config --services | sed 's/^/  /'
  local problems=0 svc line src
  # SERVICE build args name real services.
  while read -r svc; do
    [[ -f "services/$svc/src/main.ts" ]] || { say "ERROR: build arg SERVICE=$svc: services/$svc/src/main.ts does not exist"; problems=1; }
  done < <(sed -n 's/^ *SERVICE: *["'\'']\{0,1\}\([A-Za-z0-9_-]*\).*/\1/p' "$COMPOSE_FILE")
  # Published ports (short syntax in the file): each must start with 127.0.0.1:.
  while read -r line; do
    say "ERROR: published port not bound to 127.0.0.1: $line"; problems=1
  done < <(awk '
    /^ *ports:/ {inp=1; ind=match($0, /[^ ]/); next}
    inp && match($0, /[^ ]/) <= ind {inp=0}
    inp && /^ *- / {v=$0; sub(/^ *- */, "", v); gsub(/["'"'"']/, "", v); if (v !~ /^127\.0\.0\.1:/) print v}
  ' "$COMPOSE_FILE")
  # COPY sources of the Dockerfile exist.
  while read -r src; do
    compgen -G "$src" >/dev/null || { say "ERROR: Dockerfile: COPY source $src does not exist"; problems=1; }
  done < <(awk 'toupper($1) == "COPY" && $0 !~ /--from=/ {for (i = 2; i < NF; i++) if ($i !~ /^--/) print $i}' Dockerfile)
  [[ "$problems" -eq 0 ]] || die "$COMPOSE_FILE or Dockerfile breaks the repository's rules (see above)"
}

if [[ "${COMPOSE_VALIDATOR:-}" == "docker-compose" ]]; then
  fallback "COMPOSE_VALIDATOR=docker-compose"
elif ! go_ok; then
  fallback "Go >= $(awk '$1 == "go" {print $2; exit}' "$SRC/go.mod") not found"
else
  build_validator
  if ! "$BIN" -project-dir "$ROOT" "$COMPOSE_FILE"; then
    die "$COMPOSE_FILE or the Dockerfile it builds is not valid (see above)"
  fi
fi
say "OK: $COMPOSE_FILE and its Dockerfile are valid ($(elapsed))"
