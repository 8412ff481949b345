# One image for all five processes (four subgraphs, the gateway) and the one-shot migrate job.
# Each container picks its process with `command:` in docker-compose.yml (a service runs
# `scripts/runService.ts <name>`, names from services/registry.ts); TypeScript runs through tsx.
FROM node:20-bookworm-slim

WORKDIR /app

# Full install: tsx is a runtime dependency, and the lockfile is the source of truth.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY . .

# Set after `npm ci` so the install is not reduced to production dependencies.
ENV NODE_ENV=production \
    HOST=0.0.0.0

# Code stays owned by root (read-only for the process); run as the image's unprivileged user.
USER node

# The gateway's port; each service's port is set where it runs (compose, Kubernetes), from services/registry.ts.
EXPOSE 4000
CMD ["node", "--import", "tsx", "gateway/src/index.ts"]
