# syntax=docker/dockerfile:1
# pullguard container image (docs/design.md §8): TypeScript compiled in one stage, production dependencies installed in
# another, and only their output copied into a distroless Node 24 runtime that runs as a non-root numeric user.
# No key or certificate is ever part of the image: certificates are mounted from the Secret pullguard-tls.
# For reproducible builds, pin the base images by digest (FROM image:tag@sha256:...) in your CI.

ARG NODE_IMAGE=node:24-bookworm-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs24-debian12:nonroot

# 1. Compile: all dependencies (TypeScript is a devDependency), then tsc -> dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: nothing the compile needs runs install scripts, so none get to run.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -p tsconfig.json

# 2. Production dependencies only (no TypeScript, tap or the `node` devDependency).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# 3. Runtime: no shell, no package manager; Node 24 at /nodejs/bin/node.
FROM ${RUNTIME_IMAGE} AS runtime
LABEL org.opencontainers.image.title="pullguard" \
      org.opencontainers.image.description="Kubernetes validating admission webhook that stops ImagePullBackOff before it happens" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
ENV NODE_ENV=production
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
# Numeric, so Kubernetes can verify runAsNonRoot (65532 is distroless' "nonroot").
USER 65532:65532
# 8443: HTTPS /validate; 8080: /healthz, /readyz, /metrics.
EXPOSE 8443 8080
# V8 heap sized for the Deployment's 384Mi memory limit. Without it V8 sizes the heap from the node's RAM: on a big
# node it lets the old generation grow to ~4x the live data before collecting, and a cache fill (50,000 results,
# ~30 MB live) ends at ~400 MB RSS. With a 256 MB old space it grows by at most ~1.5x and young garbage is collected
# in 8 MB semi-spaces: ~180 MB (docs/benchmarks.md, P5). bench/ runs the server with these same flags.
ENTRYPOINT ["/nodejs/bin/node", "--enable-source-maps", "--max-old-space-size=256", "--max-semi-space-size=8", "dist/main.js"]
CMD ["serve"]
