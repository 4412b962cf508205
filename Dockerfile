# A small image for container platforms (Cloud Run, ECS, Kubernetes, Fly...).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Migrations run at start unless MIGRATE_ON_START=false; `node dist/src/db/migrate-cli.js` runs them alone.
# The heap setting of the Procfile: a smaller young generation keeps the peak RSS under 200 MB.
CMD ["node", "--max-semi-space-size=4", "dist/src/main.js"]
