# syntax=docker/dockerfile:1
#
# One image for every Crosscheck process; the command chooses the app:
#   docker run crosscheck                                   # coordinator (default)
#   docker run crosscheck node apps/agent/dist/main.js      # agent
#   docker run crosscheck node apps/agent/dist/acl/write-acl-file.js /var/lib/crosscheck/acl/users.acl
#                                                           # Redis ACL file (docker-compose.yml's redis-acl)
#
# Build: docker build -t crosscheck .

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: every dependency, compile the whole monorepo ---------------------------------------
FROM ${NODE_IMAGE} AS builder
WORKDIR /app
ENV NX_DAEMON=false NX_NO_CLOUD=true
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm run -s build \
 # Keep only what runs: each workspace's package.json and dist (npm links workspaces by path).
 && mkdir -p /out \
 && cp package.json package-lock.json /out/ \
 && for dir in libs/* apps/*; do \
      if [ -f "$dir/package.json" ] && [ -d "$dir/dist" ]; then \
        mkdir -p "/out/$dir" && cp "$dir/package.json" "/out/$dir/" && cp -R "$dir/dist" "/out/$dir/dist"; \
      fi; \
    done \
 && find /out -name '*.tsbuildinfo' -delete

# ---- production dependencies only -------------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY . .
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime ----------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root, read-only for the app user.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=builder /out/ ./
# Where the ACL file is written (a volume in docker-compose.yml, created with this owner).
RUN mkdir -p /var/lib/crosscheck/acl && chown node:node /var/lib/crosscheck/acl
USER node
# The coordinator's default port; agents listen on nothing.
EXPOSE 3000
STOPSIGNAL SIGTERM
CMD ["node", "apps/coordinator/dist/main.js"]
