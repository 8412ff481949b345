# One image for every process: the gateway, each service and the one-shot migrate job pick theirs
# with their command (docker-compose.yml, deploy/k8s): `node dist/gateway/src/index.js`,
# `node dist/scripts/runService.js <service>`, `node dist/scripts/migrate.js`.

# Build: every dependency, then the TypeScript compiled to dist/ (npm run build).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime: production dependencies only (no compiler, no tsx, no embedded PostgreSQL), the compiled
# code and the data files it reads (RUNTIME_PATHS in shared/src/deploy/layout.ts).
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY gateway/supergraph.graphql ./gateway/supergraph.graphql
COPY operations ./operations
COPY shared/schema ./shared/schema
COPY shared/data ./shared/data
COPY services ./services
# Code stays owned by root (read-only for the process); run as the image's unprivileged user (uid 1000).
USER node
EXPOSE 4000
CMD ["node", "dist/gateway/src/index.js"]
