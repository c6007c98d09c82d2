/**
 * Memory consolidation: folds the older part of a session into the workspace memory with one model call that must
 * call `save_memory(history_entry, memory_update)`. The entry is appended to `memory/HISTORY.md`, `memory/MEMORY.md`
 * is rewritten when the update differs, and only then does the session's consolidated offset advance; messages are
 * never deleted. A failed call, a reply without the tool call, or a MEMORY.md edited meanwhile changes nothing, and
 * the next check tries again. Consolidations of one session never overlap; background ones run in fibers owned by
 * this service, so they never hold up a turn and end when the service's scope closes.
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as FiberMap from "effect/FiberMap"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Path from "effect/Path"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as Semaphore from "effect/Semaphore"
import { AppConfig } from "../../config/AppConfig.ts"
import { Environment } from "../../platform/Environment.ts"
import { LlmProvider } from "../../providers/LlmProvider.ts"
import { type IndexedMessage, SessionStore, type StoredMessage } from "../../sessions/SessionStore.ts"
import { UsageMeter } from "../usage/UsageMeter.ts"
import { Workspace } from "../Workspace.ts"
import { isDue, planConsolidation } from "./consolidationPlan.ts"
import { formatStamp } from "../../platform/zonedTime.ts"
import { consolidationMessages, readSaveMemory, type SavedMemory, saveMemorySpec } from "./saveMemory.ts"

/** How long to wait before retrying after `failures` consecutive failed consolidations. */
export const retryDelayMs = (failures: number) => failures <= 1 ? 0 : Math.min(30, 2 ** (failures - 2)) * 60_000

export class ConsolidationError extends Schema.TaggedError<ConsolidationError>()("ConsolidationError", {
  reason: Schema.Literals(["Provider", "NoToolCall", "Store", "Files", "Conflict"]),
  message: Schema.String,
}) {}

export interface ConsolidationOutcome {
  /** Messages folded into memory (0 when there was nothing to fold). */
  readonly consolidated: number
  /** The session's consolidated offset afterwards. */
  readonly offset: number
  readonly memoryChanged: boolean
}

const fail = (reason: ConsolidationError["reason"]) => (error: { readonly message: string }) =>
  new ConsolidationError({ reason, message: error.message })

export class MemoryConsolidator extends Context.Service<MemoryConsolidator, {
  /**
   * Starts a background consolidation of the session if it is due and none is running, and returns at once with
   * the running consolidation's fiber. Failures are logged, never raised.
   */
  readonly schedule: (
    sessionKey: string,
    /** Every unconsolidated message, when the caller already has them: a session not due is then not read again. */
    pending?: ReadonlyArray<StoredMessage>,
  ) => Effect.Effect<Fiber.Fiber<void> | undefined>
  /** Consolidates the session's older part if it is due (waits for a running consolidation first). */
  readonly consolidateIfDue: (
    sessionKey: string,
  ) => Effect.Effect<Option.Option<ConsolidationOutcome>, ConsolidationError>
  /** Consolidates every unconsolidated message of the session (for `/new`); waits for a running one first. */
  readonly archive: (sessionKey: string) => Effect.Effect<ConsolidationOutcome, ConsolidationError>
}>()("claw/agent/memory/MemoryConsolidator") {
  static readonly layer = Layer.effect(
    MemoryConsolidator,
    Effect.gen(function* () {
      const { config } = yield* AppConfig
      const env = yield* Environment
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const sessions = yield* SessionStore
      const provider = yield* LlmProvider
      const workspace = yield* Workspace
      const meter = yield* UsageMeter
      const defaults = config.agents.defaults
      const timeZone = defaults.timezone ?? env.timeZone
      const background = yield* FiberMap.make<string, void, never>()
      const locks = new Map<string, Semaphore.Semaphore>()
      const lockOf = (key: string) => {
        const existing = locks.get(key)
        if (existing !== undefined) return existing
        const created = Semaphore.makeUnsafe(1)
        locks.set(key, created)
        return created
      }

      const readMemory = fs.exists(workspace.memoryFile).pipe(
        Effect.flatMap((exists) => exists ? fs.readFileString(workspace.memoryFile) : Effect.succeed("")),
        Effect.mapError(fail("Files")),
      )

      const commit = (key: string, before: string, saved: SavedMemory, end: number) =>
        Effect.gen(function* () {
          if ((yield* readMemory) !== before) {
            return yield* new ConsolidationError({
              reason: "Conflict",
              message: "MEMORY.md changed while consolidating; trying again later",
            })
          }
          const memoryChanged = saved.memoryUpdate !== undefined && saved.memoryUpdate.trim() !== before.trim()
          yield* fs.makeDirectory(path.dirname(workspace.historyFile), { recursive: true })
          if (memoryChanged) {
            const temporary = `${workspace.memoryFile}.tmp`
            yield* fs.writeFileString(temporary, `${saved.memoryUpdate!.trim()}\n`)
            yield* fs.rename(temporary, workspace.memoryFile)
          }
          yield* fs.writeFileString(workspace.historyFile, `${saved.historyEntry}\n\n`, { flag: "a" })
          yield* sessions.setConsolidatedOffset(key, end).pipe(Effect.mapError(fail("Store")))
          return memoryChanged
        }).pipe(Effect.mapError((error) => error._tag === "ConsolidationError" ? error : fail("Files")(error)))

      const fold = (key: string, messages: ReadonlyArray<IndexedMessage>, end: number) =>
        Effect.gen(function* () {
          const before = yield* readMemory
          const response = yield* provider.chat({
            model: defaults.model,
            provider: defaults.provider,
            messages: consolidationMessages(before, messages, timeZone),
            tools: [saveMemorySpec],
            maxTokens: defaults.maxTokens,
            temperature: defaults.temperature,
          }).pipe(Effect.mapError(fail("Provider")))
          yield* meter.record(key, response.usage)
          const saved = readSaveMemory(response.toolCalls, formatStamp(messages[0]!.timestamp, timeZone))
          if (Result.isFailure(saved)) {
            return yield* new ConsolidationError({ reason: "NoToolCall", message: saved.failure })
          }
          const memoryChanged = yield* Effect.uninterruptible(commit(key, before, saved.success, end))
          yield* Effect.logInfo(`Consolidated ${messages.length} messages of session ${key} into memory`)
          return { consolidated: messages.length, offset: end, memoryChanged }
        })

      const pendingOf = (key: string) =>
        sessions.info(key).pipe(
          Effect.flatMap(Option.match({
            onNone: () => Effect.succeed({ offset: 0, pending: [] as ReadonlyArray<IndexedMessage> }),
            onSome: (info) =>
              sessions.messages(key, { from: info.consolidatedOffset }).pipe(
                Effect.map((pending) => ({ offset: info.consolidatedOffset, pending })),
              ),
          })),
          Effect.mapError(fail("Store")),
        )

      const consolidateIfDue = Effect.fn("MemoryConsolidator.consolidateIfDue")((key: string) =>
        lockOf(key).withPermit(Effect.gen(function* () {
          const { pending } = yield* pendingOf(key)
          const end = planConsolidation(pending, {
            memoryWindow: defaults.memoryWindow,
            tokenBudget: defaults.memoryTokenBudget,
          })
          if (end === undefined) return Option.none<ConsolidationOutcome>()
          return Option.some(yield* fold(key, pending.filter((message) => message.index < end), end))
        }))
      )

      const archive = Effect.fn("MemoryConsolidator.archive")((key: string) =>
        lockOf(key).withPermit(Effect.gen(function* () {
          const { offset, pending } = yield* pendingOf(key)
          const last = pending.at(-1)
          if (last === undefined) return { consolidated: 0, offset, memoryChanged: false }
          return yield* fold(key, pending, last.index + 1)
        }))
      )

      /** Consecutive failures per session: the first is retried after the next turn, then 1, 2, 4… up to 30 min. */
      const failures = new Map<string, { readonly count: number; readonly retryAt: number }>()

      const schedule = Effect.fn("MemoryConsolidator.schedule")(function* (
        key: string,
        pending?: ReadonlyArray<StoredMessage>,
      ) {
        const options = { memoryWindow: defaults.memoryWindow, tokenBudget: defaults.memoryTokenBudget }
        if (pending !== undefined && !isDue(pending, options)) return undefined
        const now = yield* Clock.currentTimeMillis
        const backoff = failures.get(key)
        if (backoff !== undefined && now < backoff.retryAt) return undefined
        const running = yield* FiberMap.get(background, key)
        if (Option.isSome(running)) return running.value
        return yield* FiberMap.run(background, key, { onlyIfMissing: true })(
          consolidateIfDue(key).pipe(
            Effect.tap(() => Effect.sync(() => void failures.delete(key))),
            Effect.asVoid,
            Effect.catch((error) =>
              Effect.gen(function* () {
                const count = (failures.get(key)?.count ?? 0) + 1
                const delay = retryDelayMs(count)
                failures.set(key, { count, retryAt: (yield* Clock.currentTimeMillis) + delay })
                yield* Effect.logWarning(
                  `Memory consolidation of session ${key} failed (retrying ${
                    delay === 0 ? "after the next turn" : `in ${Math.round(delay / 60_000)} min or later`
                  }): ${error.message}`,
                )
              })
            ),
          ),
        )
      })

      return MemoryConsolidator.of({ schedule, consolidateIfDue, archive })
    }),
  )
}
