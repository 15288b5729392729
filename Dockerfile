# syntax=docker/dockerfile:1
# Chat backend image: build with dev dependencies, ship only runtime files.
# Node 22 LTS on Debian bookworm for both stages, so the better-sqlite3 native addon
# compiled in the build stage links against the same glibc it runs on.

FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
# Dependencies first: this layer is reused until the lockfile changes.
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig*.json ./
COPY app ./app
# The browser chat (GET /) is bundled from client/ by the same build.
COPY client ./client
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    PORT=8080
WORKDIR /app
# CA bundle for TLS to DocumentDB and RDS, fetched at build time so nothing is
# downloaded when a task starts.
ADD https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /app/certs/global-bundle.pem
# Files stay owned by root: the process (user node) can read its code but not change it.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN chmod 0444 /app/certs/global-bundle.pem \
    && mkdir -p /app/data \
    && chown node:node /app/data
USER node
EXPOSE 8080
# For plain `docker run`; ECS uses the task definition's own check. No --start-period:
# dockerfilelint 1.8 rejects that option (its option regex stops at the hyphen), and
# 3 retries x 15 s already cover start-up.
HEALTHCHECK --interval=15s --timeout=5s --retries=3 \
    CMD ["node", "/app/dist/app/src/ops/healthcheck.js"]
STOPSIGNAL SIGTERM
# Exec form: node is PID 1 and receives SIGTERM directly (the server drains on it).
CMD ["node", "dist/app/src/main.js"]
