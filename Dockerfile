# sgwhy, the Slack bot: `docker build -t sgwhy .` then run it with the settings README.md lists
# (at least SLACK_BOT_TOKEN and SLACK_APP_TOKEN or SLACK_SIGNING_SECRET).
#
# test/packaging/dockerfile.test.ts runs the runtime stage's steps without a Docker engine: the
# same files copied into a clean folder, the same RUN commands, the server started as CMD starts
# it, /healthz and the HEALTHCHECK command, a clean exit on SIGTERM.

# Build: compile the TypeScript (the compiler and the type packages are dev dependencies).
FROM node:26-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `prepare` runs the build, which needs the sources: install first, build once they are copied.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime: production dependencies only, the compiled code, the bundled example snapshot.
FROM node:26-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would run the TypeScript build, which needs the dev dependencies.
# npm's download cache is a build cache mount, so it stays out of the image.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY bin ./bin
# `sgwhy serve --snapshot examples/incident` answers without AWS.
COPY examples ./examples
# The files stay owned by root: the bot reads them and writes nothing.
USER node
ENV PORT=3000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/sgwhy.js", "serve"]
