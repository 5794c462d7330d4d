# syntax=docker/dockerfile:1
# One image per service, from one file:
#   docker build --build-arg SERVICE=placement -t sanad/placement .   (or checkin, alerting, web)
# docker-compose.yml builds all four. Checked by `bash scripts/check-compose.sh`.

ARG SERVICE=placement
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: install everything, compile the service and the workspaces it uses, prune --------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# Manifests first, so that the `npm ci` layer is reused until a dependency changes.
# Every npm workspace's package.json must be here (npm ci installs the whole lock file);
# scripts/check-compose.sh fails when one is missing.
COPY package.json package-lock.json ./
COPY packages/audit/package.json packages/audit/
COPY packages/auth/package.json packages/auth/
COPY packages/config/package.json packages/config/
COPY packages/contracts/package.json packages/contracts/
COPY packages/errors/package.json packages/errors/
COPY packages/logger/package.json packages/logger/
COPY packages/mail/package.json packages/mail/
COPY packages/signed-links/package.json packages/signed-links/
COPY packages/messaging/package.json packages/messaging/
COPY packages/service-kit/package.json packages/service-kit/
COPY packages/testing/package.json packages/testing/
COPY services/placement/package.json services/placement/
COPY services/checkin/package.json services/checkin/
COPY services/alerting/package.json services/alerting/
COPY services/web/package.json services/web/
COPY tests/e2e/package.json tests/e2e/
COPY bench/package.json bench/
RUN npm ci

COPY tsconfig.base.json turbo.json ./
COPY packages/ packages/
COPY services/ services/
COPY infra/compose/runtime-tree.mjs infra/compose/

ARG SERVICE
RUN test -f "services/${SERVICE}/src/main.ts" \
    || { echo "SERVICE=${SERVICE}: no services/${SERVICE}/src/main.ts" >&2; exit 1; }
RUN npx turbo run build --filter="@sanad/${SERVICE}-service..."
# Production dependencies only, then the service, its workspaces (package.json + dist) and
# node_modules gathered in /out.
RUN npm prune --omit=dev \
    && node infra/compose/runtime-tree.mjs "${SERVICE}" /out

# ---- runtime: node_modules + package.json and dist/ of each workspace the service needs ------
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0 \
    SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build /out/ ./
# Where the keys volume is mounted; a new volume takes this folder's owner, so `node` can write.
RUN mkdir -p /run/sanad-keys && chown node:node /run/sanad-keys
USER node
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# `exec`: node replaces the shell, so SIGTERM from `docker stop` reaches the service's handler.
CMD ["sh", "-c", "exec node services/$SERVICE/dist/main.js"]

# The port differs per service: one small stage each, and the last stage picks by SERVICE.
# (Keep PORT in step with services/<name>/src/config.ts and docker-compose.yml.)
FROM runtime AS runtime-placement
ENV PORT=4101
EXPOSE 4101

FROM runtime AS runtime-checkin
ENV PORT=4102
EXPOSE 4102

FROM runtime AS runtime-alerting
ENV PORT=4103
EXPOSE 4103

FROM runtime AS runtime-web
ENV PORT=4100
EXPOSE 4100

FROM runtime-${SERVICE} AS service
