/**
 * Keeps every `tools.mcpServers.<name>` connected for as long as the layer lives, one supervised fiber per server
 * (`FiberMap` keyed by name). While a server is up its tools are in the `ToolRegistry` as `mcp_<server>_<tool>`;
 * when it dies (its process exits, or a health ping fails) they are unregistered at once and the server is
 * reconnected on `mcpRestartSchedule` — the backoff starts over after a connection that worked — so its tools come
 * back without a restart. A server that cannot start never affects the others.
 *
 * Building the layer waits (up to `MCP_STARTUP_WAIT`) for every server's first attempt, so the first turn already
 * sees the tools of servers that start promptly.
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberMap from "effect/FiberMap"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import { AppConfig } from "../../../config/AppConfig.ts"
import { ToolRegistry } from "../ToolRegistry.ts"
import { connectMcpServer, type McpError, type McpSession } from "./McpSession.ts"
import { mcpTool } from "./mcpTools.ts"

/** Reconnect a dead server: 1 s doubling to 60 s, jittered, forever. */
export const mcpRestartSchedule = Schedule.exponential("1 second").pipe(
  (exponential) => Schedule.min([exponential, Schedule.spaced("60 seconds")]),
  Schedule.jittered,
)

/** How often a connected server is pinged to notice one that hangs or whose HTTP endpoint went away. */
export const mcpHealthInterval = Duration.seconds(30)

export const MCP_STARTUP_WAIT = Duration.seconds(15)

export interface McpServerStatus {
  readonly server: string
  readonly state: "connecting" | "connected" | "down"
  readonly tools: ReadonlyArray<string>
  readonly error?: string
  /** Successful connections so far. */
  readonly connections: number
}

export interface McpManagerOptions {
  readonly restartSchedule?: Schedule.Schedule<unknown, unknown>
  readonly healthInterval?: Duration.Input
}

export class McpManager extends Context.Service<McpManager, {
  readonly status: Effect.Effect<ReadonlyArray<McpServerStatus>>
}>()("claw/agent/tools/mcp/McpManager") {
  static readonly make = (options: McpManagerOptions = {}) =>
    Effect.gen(function* () {
      const { config } = yield* AppConfig
      const registry = yield* ToolRegistry
      const fibers = yield* FiberMap.make<string>()
      const statuses = new Map<string, McpServerStatus>()
      const restartSchedule = options.restartSchedule ?? mcpRestartSchedule
      const health = Duration.fromInputUnsafe(options.healthInterval ?? mcpHealthInterval)

      const setStatus = (server: string, patch: Partial<McpServerStatus>) =>
        Effect.sync(() => {
          const current = statuses.get(server) ?? { server, state: "connecting", tools: [], connections: 0 }
          statuses.set(server, { ...current, ...patch })
        })

      /** Serves one connection until it dies: returns why it closed, or fails with the failed health ping. */
      const serve = (session: McpSession, timeoutS: number) =>
        Effect.gen(function* () {
          const tools = session.tools.map((info) => mcpTool(session, info, timeoutS))
          yield* Effect.addFinalizer(() => Effect.forEach(tools, (tool) => registry.unregister(tool.name)))
          yield* Effect.forEach(tools, registry.register)
          const names = tools.map((tool) => tool.name)
          const connections = (statuses.get(session.server)?.connections ?? 0) + 1
          yield* setStatus(session.server, { state: "connected", tools: names, connections })
          yield* Effect.logInfo(`MCP server ${session.server} connected: ${names.join(", ") || "no tools"}`)
          const pinging = session.ping.pipe(Effect.delay(health), Effect.forever)
          return yield* Effect.raceFirst(session.closed.pipe(Effect.as("the server closed the connection")), pinging)
        })

      const supervise = (
        server: string,
        serverConfig: typeof config.tools.mcpServers[string],
        first: Deferred.Deferred<void>,
      ) =>
        Effect.gen(function* () {
          let step = yield* Schedule.toStepWithSleep(restartSchedule)
          while (true) {
            let permanent = false
            const why: string = yield* connectMcpServer(server, serverConfig).pipe(
              Effect.tap(() => Deferred.succeed(first, undefined)),
              Effect.flatMap((session) => serve(session, serverConfig.timeout)),
              Effect.catch((error: McpError) => {
                permanent = error.reason === "Config"
                return Effect.succeed(error.message)
              }),
              Effect.catchCause((cause) =>
                Cause.hasInterruptsOnly(cause)
                  ? Effect.failCause(cause)
                  : Effect.succeed(`crashed: ${Cause.squash(cause)}`)
              ),
              Effect.scoped,
              Effect.ensuring(Deferred.succeed(first, undefined)),
            )
            const wasConnected = statuses.get(server)?.state === "connected"
            yield* setStatus(server, { state: "down", tools: [], error: why })
            if (permanent) {
              return yield* Effect.logError(
                `MCP server ${server} is misconfigured (${why}); fix tools.mcpServers.${server}`,
              )
            }
            if (wasConnected) step = yield* Schedule.toStepWithSleep(restartSchedule)
            yield* Effect.logWarning(
              `MCP server ${server} is down (${why}); its tools are unavailable until it is back`,
            )
            yield* step(why).pipe(Effect.ignore)
          }
        }).pipe(Effect.annotateLogs({ mcpServer: server }))

      const firsts: Array<Deferred.Deferred<void>> = []
      for (const [server, serverConfig] of Object.entries(config.tools.mcpServers)) {
        const first = yield* Deferred.make<void>()
        firsts.push(first)
        yield* setStatus(server, {})
        yield* FiberMap.run(fibers, server, supervise(server, serverConfig, first))
      }
      yield* Effect.forEach(firsts, Deferred.await).pipe(Effect.timeoutOption(MCP_STARTUP_WAIT))
      return McpManager.of({ status: Effect.sync(() => [...statuses.values()]) })
    })

  static readonly layer = Layer.effect(McpManager, McpManager.make())
}
