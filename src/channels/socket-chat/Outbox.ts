/**
 * Outbound payloads of one account, kept across reconnects: `send` queues a payload and waits for its PUBACK; the
 * connection of the moment drains the queue in order. A payload in flight when the connection drops is published
 * again by the next connection (at-least-once, as QoS 1). The queue is bounded: beyond `OUTBOX_LIMIT` waiting
 * payloads a send fails (retryable) instead of growing memory while the broker is away. A payload the broker keeps
 * rejecting is given up after `MAX_PUBLISH_FAILURES` so it cannot block the ones behind it.
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import { ChannelError } from "../Channel.ts"

export const OUTBOX_LIMIT = 1000
export const MAX_PUBLISH_FAILURES = 5

interface Outgoing {
  readonly payload: string
  readonly done: Deferred.Deferred<void, ChannelError>
  failures: number
}

export interface Outbox {
  /** Payloads waiting, including the one in flight. */
  readonly size: () => number
  /** Queues `payloads` in order; succeeds with one completion per payload (PUBACK received, or given up). */
  readonly enqueue: (
    payloads: ReadonlyArray<string>,
  ) => Effect.Effect<ReadonlyArray<Deferred.Deferred<void, ChannelError>>, ChannelError>
  /** Publishes queued payloads through `publish`, in order, until interrupted. */
  readonly drain: (publish: (payload: string) => Effect.Effect<void, ChannelError>) => Effect.Effect<never>
}

export const makeOutbox: Effect.Effect<Outbox> = Effect.map(Queue.bounded<Outgoing>(OUTBOX_LIMIT), (queue) => {
  let carried: Outgoing | undefined

  const enqueue = (payloads: ReadonlyArray<string>) =>
    Effect.gen(function* () {
      if (Queue.sizeUnsafe(queue) + payloads.length > OUTBOX_LIMIT) {
        return yield* new ChannelError({
          channel: "socket-chat",
          reason: "SendFailed",
          message: `The outbox is full (${OUTBOX_LIMIT} messages waiting for the broker)`,
          retryable: true,
        })
      }
      return payloads.map((payload) => {
        const done = Deferred.makeUnsafe<void, ChannelError>()
        Queue.offerUnsafe(queue, { payload, done, failures: 0 })
        return done
      })
    })

  const giveUp = (item: Outgoing, error: ChannelError | undefined) =>
    Deferred.fail(
      item.done,
      new ChannelError({
        channel: "socket-chat",
        reason: "SendFailed",
        message: `Gave up after ${item.failures} failed publishes: ${error?.message ?? "unknown error"}`,
        retryable: false,
      }),
    )

  const drain = (publish: (payload: string) => Effect.Effect<void, ChannelError>) =>
    Effect.gen(function* () {
      while (true) {
        const item = carried ?? (yield* Queue.take(queue))
        carried = item
        const exit = yield* Effect.exit(publish(item.payload))
        if (exit._tag === "Success") {
          carried = undefined
          yield* Deferred.succeed(item.done, undefined)
          continue
        }
        item.failures++
        if (item.failures >= MAX_PUBLISH_FAILURES) {
          carried = undefined
          yield* giveUp(item, exit.cause.reasons.find((r) => r._tag === "Fail")?.error)
          continue
        }
        yield* Effect.sleep("1 second")
      }
    })

  return { size: () => Queue.sizeUnsafe(queue) + (carried === undefined ? 0 : 1), enqueue, drain }
})
