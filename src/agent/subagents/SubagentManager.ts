/**
 * Background subagents started by the `spawn` tool (which this layer registers). A subagent is one agent turn on
 * the originating session's behalf, without session history (its tokens count toward that session), without the
 * `message` and `spawn` tools, limited to `agents.defaults.subagentMaxIterations` rounds; at most
 * `agents.defaults.maxSubagents` run at once. When it ends, its report is published on the bus as an inbound
 * message to the originating chat and session (sender `subagent`), so the main agent turns it into a reply there.
 * `cancel` interrupts a session's subagents (used by `/stop`); a cancelled subagent reports nothing.
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FiberMap from "effect/FiberMap"
import * as Layer from "effect/Layer"
import { MessageBus } from "../../bus/MessageBus.ts"
import { AppConfig } from "../../config/AppConfig.ts"
import { AgentLoop } from "../AgentLoop.ts"
import { type ToolContext, ToolError } from "../tools/Tool.ts"
import { ToolRegistry } from "../tools/ToolRegistry.ts"
import { SPAWN, type SpawnedSubagent, spawnTool } from "./SpawnTool.ts"

export interface SubagentInfo extends SpawnedSubagent {
  readonly task: string
  /** The session that started it. */
  readonly sessionKey: string
  readonly startedAt: number
}

export const SUBAGENT_SENDER = "subagent"

/** Tools a subagent never gets. */
export const SUBAGENT_EXCLUDED_TOOLS = ["message", SPAWN] as const

const subagentPrompt = (task: string) =>
  [
    "[Subagent task]",
    "You are a subagent: the main agent started you to work on one task in the background. Complete it with your",
    "tools, then answer with a concise report of what you did and found (include paths of files you wrote). You",
    "cannot message the user; your final answer goes back to the main agent.",
    "",
    `Task: ${task}`,
  ].join("\n")

const defaultLabel = (task: string) => {
  const firstLine = task.trim().split("\n")[0] ?? ""
  return firstLine.length <= 40 ? firstLine : `${firstLine.slice(0, 37)}...`
}

export class SubagentManager extends Context.Service<SubagentManager, {
  /** Starts a subagent on behalf of the turn `origin`; fails when `maxSubagents` are already running. */
  readonly spawn: (task: string, label: string | undefined, origin: ToolContext) => Effect.Effect<
    SubagentInfo,
    ToolError
  >
  /** Interrupts the subagents started from `sessionKey`; returns how many there were. */
  readonly cancel: (sessionKey: string) => Effect.Effect<number>
  readonly running: Effect.Effect<ReadonlyArray<SubagentInfo>>
}>()("claw/agent/subagents/SubagentManager") {
  static readonly layer = Layer.effect(
    SubagentManager,
    Effect.gen(function* () {
      const { config } = yield* AppConfig
      const agent = yield* AgentLoop
      const bus = yield* MessageBus
      const registry = yield* ToolRegistry
      const defaults = config.agents.defaults
      const fibers = yield* FiberMap.make<string>()
      const active = new Map<string, SubagentInfo>()

      const run = (info: SubagentInfo, origin: ToolContext) => {
        const account = origin.accountId !== undefined ? { accountId: origin.accountId } : {}
        const report = (content: string) =>
          Effect.gen(function* () {
            yield* bus.publishInbound({
              id: `subagent-${info.id}-${crypto.randomUUID()}`,
              channel: origin.channel,
              chatId: origin.chatId,
              ...account,
              senderId: SUBAGENT_SENDER,
              content,
              sessionKey: origin.sessionKey,
              timestamp: yield* Clock.currentTimeMillis,
            })
          })
        return agent.runTurn(
          {
            id: `subagent-${info.id}`,
            channel: origin.channel,
            chatId: origin.chatId,
            ...account,
            senderId: "agent",
            content: subagentPrompt(info.task),
            sessionKey: origin.sessionKey,
            timestamp: info.startedAt,
          },
          {},
          { excludeTools: SUBAGENT_EXCLUDED_TOOLS, maxIterations: defaults.subagentMaxIterations, ephemeral: true },
        ).pipe(
          Effect.matchEffect({
            onSuccess: (result) =>
              Effect.logInfo(`Subagent "${info.label}" finished`).pipe(
                Effect.andThen(
                  report(`[Subagent "${info.label}" finished]\n${result.content.trim() || "(no report)"}`),
                ),
              ),
            onFailure: (error) => report(`[Subagent "${info.label}" failed]\n${error.message}`),
          }),
          Effect.catchCause((cause) =>
            Cause.hasInterruptsOnly(cause)
              ? Effect.logInfo(`Subagent "${info.label}" cancelled`)
              : Effect.logError("Subagent crashed", cause).pipe(
                Effect.andThen(report(`[Subagent "${info.label}" failed]\nInternal error.`)),
              )
          ),
          Effect.ensuring(Effect.sync(() => active.delete(info.id))),
          Effect.annotateLogs({ subagent: info.id, session: origin.sessionKey }),
        )
      }

      const spawn = Effect.fn("SubagentManager.spawn")(
        function* (task: string, label: string | undefined, origin: ToolContext) {
          const info: SubagentInfo = {
            id: crypto.randomUUID().slice(0, 8),
            label: label?.trim() || defaultLabel(task),
            task,
            sessionKey: origin.sessionKey,
            startedAt: yield* Clock.currentTimeMillis,
          }
          if (active.size >= defaults.maxSubagents) {
            return yield* new ToolError({
              message: `${active.size} subagents are already running (the limit is ${defaults.maxSubagents}); ` +
                "wait for one to report back, or do this task yourself",
            })
          }
          active.set(info.id, info)
          yield* FiberMap.run(fibers, info.id, run(info, origin))
          return info
        },
      )

      const cancel = Effect.fn("SubagentManager.cancel")(function* (sessionKey: string) {
        const ids = [...active.values()].filter((info) => info.sessionKey === sessionKey).map((info) => info.id)
        for (const id of ids) {
          active.delete(id)
          yield* FiberMap.remove(fibers, id)
        }
        return ids.length
      })

      const running = Effect.sync(() => [...active.values()])
      yield* registry.register(spawnTool(spawn))
      return SubagentManager.of({ spawn, cancel, running })
    }),
  )
}
