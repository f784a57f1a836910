# Cursorline in a container: build the workspace in one stage, then run only the release
# directory (`pnpm release`: server bundle, built page, production dependencies) as the
# unprivileged `node` user. CI does not build this image (no container runtime there); it tests
# the release directory itself (e2e/tests/deploy/release.spec.ts).

FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN npm install -g pnpm@12.21.0
COPY . .
RUN pnpm install --frozen-lockfile && pnpm release

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=8787
WORKDIR /app
# Owned by root, run by node: the process cannot rewrite its own code.
COPY --from=build /src/release /app
USER node
EXPOSE 8787
# SIGTERM drains (see docs/deploy.md): give it DRAIN_MS plus a few seconds before SIGKILL.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=5s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server/dist/main.js"]
