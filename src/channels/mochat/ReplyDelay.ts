/**
 * The reply delay of Mochat panels: messages wait in a buffer per panel until the panel has been quiet for
 * `replyDelayMs`, then reach the agent as one message of `name: text` lines. In `non-mention` mode a mention
 * flushes the buffer at once (mentioning message included); in `always` mode mentions wait too; `never` passes
 * everything straight through. `replyMaxWaitMs` caps how long a busy panel waits. Timing is Effect's `Clock`
 * (so `TestClock` drives it), and when the scope closes the buffers are flushed, never dropped.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import type { InboundMessage } from "../../bus/Messages.ts"
import type { ReplyDelayMode } from "./MochatConfig.ts"

/** A busy panel is flushed once this many messages wait, whatever the timers say. */
export const MAX_BUFFERED = 100

export interface DelayedEntry {
  readonly message: InboundMessage
  readonly mentioned: boolean
}

export interface ReplyDelayOptions {
  readonly mode: ReplyDelayMode
  readonly delayMs: number
  readonly maxWaitMs: number
}

interface Buffer {
  readonly entries: Array<DelayedEntry>
  readonly firstAt: number
  deadline: number
}

/** One waiting message is passed as is; several become `name: text` lines under the last one's identity. */
export const mergeEntries = (entries: ReadonlyArray<DelayedEntry>): InboundMessage => {
  const last = entries[entries.length - 1]!.message
  if (entries.length === 1) return last
  const content = entries
    .map(({ message }) => `${message.senderName ?? message.senderId}: ${message.content}`)
    .join("\n")
  return { ...last, content, speakersNamed: true }
}

export const makeReplyDelay = Effect.fn("ReplyDelay.make")(function* (
  options: ReplyDelayOptions,
  publish: (message: InboundMessage) => Effect.Effect<void>,
) {
  const timers = yield* FiberSet.make()
  const buffers = new Map<string, Buffer>()

  const flush = (key: string) =>
    Effect.suspend(() => {
      const buffer = buffers.get(key)
      if (buffer === undefined) return Effect.void
      buffers.delete(key)
      return publish(mergeEntries(buffer.entries))
    }).pipe(Effect.uninterruptible)

  const timer = (key: string, buffer: Buffer) =>
    Effect.gen(function* () {
      while (buffers.get(key) === buffer) {
        const now = yield* Clock.currentTimeMillis
        if (now >= buffer.deadline) return yield* flush(key)
        yield* Effect.sleep(buffer.deadline - now)
      }
    })

  yield* Effect.addFinalizer(() =>
    Effect.gen(function* () {
      const waiting = [...buffers.values()].reduce((n, buffer) => n + buffer.entries.length, 0)
      if (waiting === 0) return
      yield* Effect.logInfo(`Passing ${waiting} delayed Mochat panel message(s) to the agent before stopping`)
      for (const key of [...buffers.keys()]) yield* flush(key)
    })
  )

  const offer = Effect.fn("ReplyDelay.offer")(function* (key: string, entry: DelayedEntry) {
    const bypass = options.mode === "never" || options.delayMs === 0
    if (bypass && !buffers.has(key)) return yield* publish(entry.message)
    const now = yield* Clock.currentTimeMillis
    const existing = buffers.get(key)
    const buffer = existing ?? { entries: [], firstAt: now, deadline: now }
    buffer.entries.push(entry)
    buffer.deadline = Math.min(now + options.delayMs, buffer.firstAt + options.maxWaitMs)
    if (existing === undefined) buffers.set(key, buffer)
    const flushNow = bypass || (options.mode === "non-mention" && entry.mentioned) ||
      buffer.entries.length >= MAX_BUFFERED
    if (flushNow) return yield* flush(key)
    if (existing === undefined) yield* FiberSet.run(timers, timer(key, buffer))
  })

  return {
    offer,
    /** Messages waiting, over all panels. */
    waiting: () => [...buffers.values()].reduce((n, buffer) => n + buffer.entries.length, 0),
  }
})

export type ReplyDelay = Effect.Success<ReturnType<typeof makeReplyDelay>>
