# syntax=docker/dockerfile:1
# Parley in one image: `docker compose up -d` (compose.yaml), or
#   docker build -t parley . && docker run -p 3000:3000 -v parley-data:/data parley
# It runs what the docs run: node packages/server/dist/cli.js start (see docs/deployment.md).

# Node and pnpm (the version package.json's packageManager names), plus a compiler in case
# better-sqlite3 has no prebuilt binary for the platform.
FROM node:20-bookworm-slim AS base
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/* \
 && npm install -g pnpm@10.34.8
WORKDIR /app

# Everything built: protocol, widget, dashboard, server (with its compressed assets).
FROM base AS build
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build

# Only what the server needs at run time.
FROM base AS deps
COPY . .
RUN pnpm install --frozen-lockfile --prod --filter "@parley/server..."

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/packages/server/node_modules ./packages/server/node_modules
COPY --from=deps /app/packages/protocol/node_modules ./packages/protocol/node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/packages/protocol/package.json ./packages/protocol/
COPY --from=build /app/packages/protocol/dist ./packages/protocol/dist
COPY --from=build /app/packages/widget/package.json ./packages/widget/
COPY --from=build /app/packages/widget/dist ./packages/widget/dist
COPY --from=build /app/packages/admin/package.json ./packages/admin/
COPY --from=build /app/packages/admin/dist ./packages/admin/dist
COPY --from=build /app/packages/server/package.json ./packages/server/
COPY --from=build /app/packages/server/dist ./packages/server/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "packages/server/dist/cli.js", "start"]
