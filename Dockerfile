# claw in a container: the gateway as the entrypoint, running as the unprivileged `deno` user, all state in the
# /data volume (CLAW_HOME). Built on the official Deno image rather than the compiled binary so that the gateway
# starts through scripts/start.ts, which computes the least-privilege permission profile from /data/config.json at
# every start (the binary has to bake one profile in at build time, with file paths left open).
#
#   docker build -t claw .
#   docker run -d --name claw -v claw-data:/data -p 127.0.0.1:18800:18800 \
#     -e OPENROUTER_API_KEY=sk-or-... -e CLAW_CHANNELS__WEBSOCKET__HOST=0.0.0.0 \
#     -e CLAW_CHANNELS__WEBSOCKET__TOKEN=change-me claw
FROM denoland/deno:2.9.6

WORKDIR /app
COPY deno.json deno.lock main.ts ./
COPY src ./src
COPY skills ./skills
COPY scripts/start.ts ./scripts/start.ts
# Dependencies and every module (main, launcher, tool worker) are fetched and cached at build time. The `deno`
# user owns /app only so the Deno CLI can maintain node_modules; claw's permission profile grants no writes there.
RUN deno install --frozen \
  && deno cache --frozen main.ts scripts/start.ts src/agent/tools/internal/toolWorker.ts \
  && mkdir -p /data && chown -R deno:deno /data /app

ENV CLAW_HOME=/data HOME=/data NO_COLOR=1
VOLUME ["/data"]
EXPOSE 18800
USER deno

ENTRYPOINT ["deno", "run", "--frozen", "--allow-read", "--allow-env", "--allow-run", "--allow-sys=uid", "scripts/start.ts"]
CMD ["gateway"]
