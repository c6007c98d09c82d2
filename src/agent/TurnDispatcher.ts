/**
 * Takes inbound messages off the bus and runs them as agent turns: turns of one session run one after another,
 * different sessions run concurrently, at most `agents.defaults.maxConcurrentTurns` at once. Every turn ends with
 * exactly one `reply` or `error` outbound message carrying the inbound id; streamed text goes out as `delta`s.
 * `/stop` cancels the session's running and queued turns and its subagents at once (it does not wait in the queue);
 * `/new` archives the session to memory first and keeps it when that fails. A failing or
 * crashing turn is reported to its chat and never stops the dispatcher.
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FiberMap from "effect/FiberMap"
import * as Layer from "effect/Layer"
import * as Semaphore from "effect/Semaphore"
import { AppConfig } from "../config/AppConfig.ts"
import { MessageBus } from "../bus/MessageBus.ts"
import { type InboundMessage, type OutboundMessage, sessionKeyOf } from "../bus/Messages.ts"
import { SessionStore } from "../sessions/SessionStore.ts"
import { AgentLoop } from "./AgentLoop.ts"
import { HELP_TEXT, parseCommand } from "./commands.ts"
import { MemoryConsolidator } from "./memory/MemoryConsolidator.ts"
import { SubagentManager } from "./subagents/SubagentManager.ts"

interface Mailbox {
  readonly queue: Array<InboundMessage>
  current: InboundMessage | undefined
}

export class TurnDispatcher extends Context.Service<TurnDispatcher, {
  /** Handles one inbound message (queues it for its session, or runs a command). */
  readonly dispatch: (message: InboundMessage) => Effect.Effect<void>
  /** Takes messages off the bus forever. */
  readonly run: Effect.Effect<never>
  /** Cancels the running and queued turns of a session and its subagents; returns how many were cancelled. */
  readonly stop: (sessionKey: string) => Effect.Effect<number>
}>()("claw/agent/TurnDispatcher") {
  static readonly layer = Layer.effect(
    TurnDispatcher,
    Effect.gen(function* () {
      const { config } = yield* AppConfig
      const bus = yield* MessageBus
      const agent = yield* AgentLoop
      const sessions = yield* SessionStore
      const memory = yield* MemoryConsolidator
      const subagents = yield* SubagentManager
      const permits = yield* Semaphore.make(config.agents.defaults.maxConcurrentTurns)
      const workers = yield* FiberMap.make<string>()
      const mailboxes = new Map<string, Mailbox>()

      const publish = (
        to: InboundMessage,
        fields: Pick<OutboundMessage, "kind" | "content"> & Partial<OutboundMessage>,
      ) =>
        bus.publishOutbound({
          id: crypto.randomUUID(),
          channel: to.channel,
          chatId: to.chatId,
          replyTo: to.id,
          ...(to.accountId !== undefined ? { accountId: to.accountId } : {}),
          ...fields,
        })

      const newSession = (message: InboundMessage) =>
        Effect.gen(function* () {
          const key = sessionKeyOf(message)
          const archived = yield* memory.archive(key).pipe(Effect.result)
          if (archived._tag === "Failure") {
            return yield* publish(message, {
              kind: "error",
              content: `Could not archive this conversation to memory (${archived.failure.message}). ` +
                "Nothing was lost and the session goes on; try /new again later.",
            })
          }
          const info = yield* sessions.info(key)
          if (info._tag === "Some") yield* sessions.setConsolidatedOffset(key, info.value.messageCount)
          yield* publish(message, { kind: "reply", content: "New session started." })
        }).pipe(Effect.catch((error) => publish(message, { kind: "error", content: error.message })))

      const runOne = (message: InboundMessage) =>
        agent.runTurn(message, {
          onDelta: (segment, text) => publish(message, { kind: "delta", content: text, segment }),
        }).pipe(
          Effect.matchEffect({
            onSuccess: (result) => publish(message, { kind: "reply", content: result.content }),
            onFailure: (error) => publish(message, { kind: "error", content: error.message }),
          }),
          Effect.catchCause((cause) =>
            Cause.hasInterruptsOnly(cause) ? Effect.failCause(cause) : Effect.gen(function* () {
              yield* Effect.logError("Agent turn crashed", cause)
              yield* publish(message, { kind: "error", content: "Internal error while processing the message." })
            })
          ),
          Effect.onInterrupt(() => publish(message, { kind: "error", content: "Stopped." })),
          permits.withPermit,
          Effect.annotateLogs({ session: sessionKeyOf(message), messageId: message.id }),
        )

      const worker = (key: string, box: Mailbox): Effect.Effect<void> =>
        Effect.gen(function* () {
          while (true) {
            const next = box.queue.shift()
            box.current = next
            if (next === undefined) {
              if (mailboxes.get(key) === box) mailboxes.delete(key)
              return
            }
            if (parseCommand(next.content) === "/new") yield* newSession(next)
            else yield* runOne(next)
          }
        })

      const stop = Effect.fn("TurnDispatcher.stop")(function* (key: string) {
        const subagentsCancelled = yield* subagents.cancel(key)
        const box = mailboxes.get(key)
        if (box === undefined) return subagentsCancelled
        const queued = box.queue.splice(0)
        const cancelled = queued.length + (box.current === undefined ? 0 : 1) + subagentsCancelled
        mailboxes.delete(key)
        yield* FiberMap.remove(workers, key)
        for (const message of queued) yield* publish(message, { kind: "error", content: "Stopped." })
        return cancelled
      })

      const dispatch = Effect.fn("TurnDispatcher.dispatch")(function* (message: InboundMessage) {
        const key = sessionKeyOf(message)
        const command = parseCommand(message.content)
        if (command === "/help") return yield* publish(message, { kind: "reply", content: HELP_TEXT })
        if (command === "/stop") {
          const cancelled = yield* stop(key)
          return yield* publish(message, {
            kind: "reply",
            content: cancelled === 0 ? "Nothing to stop." : `Stopped ${cancelled} task${cancelled === 1 ? "" : "s"}.`,
          })
        }
        const existing = mailboxes.get(key)
        if (existing !== undefined) {
          existing.queue.push(message)
          return
        }
        const box: Mailbox = { queue: [message], current: undefined }
        mailboxes.set(key, box)
        yield* FiberMap.run(workers, key, worker(key, box))
      })

      const run = bus.takeInbound.pipe(Effect.flatMap(dispatch), Effect.forever)

      return TurnDispatcher.of({ dispatch, run, stop })
    }),
  )
}
