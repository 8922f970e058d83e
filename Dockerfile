# Production-style image for Switchboard: one image, two roles (see docker-compose.yml).
#   docker build -t switchboard .
#   docker run -e DATABASE_URL=… -e SECRET_KEY=… -p 4000:4000 switchboard            # API server
#   docker run -e DATABASE_URL=… -e SECRET_KEY=… switchboard node scripts/start.mjs workers
FROM node:22-slim

ENV CI=true
RUN npm install -g pnpm@12.21.0 && npm cache clean --force

WORKDIR /app

# Dependencies first, so that source changes do not reinstall them.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY server/package.json server/
COPY workers/package.json workers/
COPY client/package.json client/
COPY tests/package.json tests/
RUN pnpm install --frozen-lockfile

COPY . .
# The built client is served by the API server from client/dist.
RUN if [ -f client/index.html ]; then pnpm --filter @switchboard/client run build; fi

# Nothing is written under /app at run time; DATA_DIR only has to exist and be writable.
RUN mkdir -p /data && chown node:node /data
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/data
USER node
EXPOSE 4000

HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# SIGTERM (docker stop) drains HTTP/WebSocket traffic and running jobs, then exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "scripts/start.mjs", "server"]
