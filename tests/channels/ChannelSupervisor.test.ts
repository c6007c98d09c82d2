/**
 * The channel supervisor with scripted channels under TestClock: restarts on the named backoff (starting over after
 * a connect), slow retries after non-retryable failures, one failing channel never touching the others, routing of
 * outbound messages by channel and account, status snapshots, and everything interrupted when the scope closes.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as TestClock from "effect/testing/TestClock"
import { MessageBus } from "../../src/bus/MessageBus.ts"
import type { OutboundMessage } from "../../src/bus/Messages.ts"
import { type Channel, ChannelError } from "../../src/channels/Channel.ts"
import { ChannelStatusBoard } from "../../src/channels/ChannelStatusBoard.ts"
import { channelRestartSchedule, ChannelSupervisor } from "../../src/channels/ChannelSupervisor.ts"
import { Environment } from "../../src/platform/Environment.ts"
import { StateStore } from "../../src/storage/StateStore.ts"
import { assert, assertEquals } from "../support/assert.ts"

const services = ChannelStatusBoard.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(MessageBus.layer, StateStore.layerMemory, Environment.layerTest({}))),
)

const run = <A, E>(effect: Effect.Effect<A, E, ChannelStatusBoard | MessageBus | StateStore | Scope.Scope>) =>
  Effect.runPromise(effect.pipe(Effect.scoped, Effect.provide(services), Effect.provide(TestClock.layer())))

const fail = (id: string, retryable: boolean) =>
  new ChannelError({
    channel: id,
    reason: retryable ? "Disconnected" : "AuthFailed",
    message: `${id} failed`,
    retryable,
  })

/** A channel whose `run` fails `failures` times, then connects and stays up; it records attempts and sends. */
const scripted = (
  id: string,
  options: { failures: number; retryable?: boolean; accountId?: string; name?: string },
) => {
  const attempts: Array<number> = []
  const sent: Array<OutboundMessage> = []
  let interrupted = false
  const channel: Channel = {
    id,
    name: options.name ?? id,
    ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
    run: (reporter) =>
      Effect.gen(function* () {
        attempts.push(yield* Clock.currentTimeMillis)
        if (attempts.length <= options.failures) return yield* fail(id, options.retryable ?? true)
        yield* reporter.connected({ url: `fake://${id}` })
        return yield* Effect.never
      }).pipe(Effect.onInterrupt(() => Effect.sync(() => void (interrupted = true)))),
    send: (message) => Effect.sync(() => void sent.push(message)),
  }
  return { channel, attempts, sent, interrupted: () => interrupted }
}

const outbound = (channel: string, chatId: string, accountId?: string): OutboundMessage => ({
  id: crypto.randomUUID(),
  channel,
  chatId,
  kind: "push",
  content: `to ${chatId}`,
  ...(accountId !== undefined ? { accountId } : {}),
})

Deno.test("ChannelSupervisor restarts a failing channel on its backoff and leaves the other channels alone", () =>
  run(Effect.gen(function* () {
    const flaky = scripted("flaky", { failures: 3 })
    const steady = scripted("steady", { failures: 0 })
    const supervisor = yield* ChannelSupervisor.make([flaky.channel, steady.channel], {
      restartSchedule: Schedule.exponential("1 second"),
    })
    yield* Effect.yieldNow
    assertEquals(flaky.attempts, [0])
    assertEquals(steady.attempts.length, 1)
    for (const step of [1_000, 2_000, 4_000]) yield* TestClock.adjust(step)
    assertEquals(flaky.attempts, [0, 1_000, 3_000, 7_000], "1 s, 2 s, 4 s between attempts")
    yield* TestClock.adjust(60_000)
    assertEquals(flaky.attempts.length, 4, "a connected channel is not restarted")
    yield* supervisor.route(outbound("steady", "a"))
    yield* supervisor.route(outbound("flaky", "b"))
    yield* Effect.yieldNow
    assertEquals(steady.sent.map((m) => m.chatId), ["a"])
    assertEquals(flaky.sent.map((m) => m.chatId), ["b"])
    const board = yield* ChannelStatusBoard
    const statuses = yield* board.snapshot
    const flakyStatus = statuses.find((s) => s.id === "flaky")!
    assertEquals([flakyStatus.connected, flakyStatus.reconnectAttempts], [true, 0])
    assertEquals(flakyStatus.lastError, "flaky failed")
  })))

Deno.test("ChannelSupervisor retries a non-retryable failure slowly and reports it", () =>
  run(Effect.gen(function* () {
    const rejected = scripted("rejected", { failures: 100, retryable: false })
    yield* ChannelSupervisor.make([rejected.channel], {
      restartSchedule: Schedule.spaced("1 second"),
      slowRetrySchedule: Schedule.spaced("5 minutes"),
    })
    yield* Effect.yieldNow
    yield* TestClock.adjust(60_000)
    assertEquals(rejected.attempts.length, 1, "no fast retries for rejected credentials")
    yield* TestClock.adjust(5 * 60_000)
    assertEquals(rejected.attempts.length, 2)
    const status = (yield* (yield* ChannelStatusBoard).snapshot)[0]!
    assertEquals([status.connected, status.reconnectAttempts, status.lastError], [false, 2, "rejected failed"])
  })))

Deno.test("ChannelSupervisor routes outbound messages by channel and account, and skips unknown channels", () =>
  run(Effect.gen(function* () {
    const main = scripted("socket-chat", { failures: 0, accountId: "default", name: "socket-chat" })
    const work = scripted("socket-chat:work", { failures: 0, accountId: "work", name: "socket-chat" })
    const supervisor = yield* ChannelSupervisor.make([main.channel, work.channel])
    const bus = yield* MessageBus
    yield* bus.publishOutbound(outbound("socket-chat", "x", "work"))
    yield* bus.publishOutbound(outbound("socket-chat", "y"))
    yield* Effect.yieldNow.pipe(Effect.repeat({ times: 20 }))
    assertEquals(work.sent.map((m) => m.chatId), ["x"])
    assertEquals(main.sent.map((m) => m.chatId), ["y"])
    assertEquals(yield* supervisor.route(outbound("telegram", "z")), false)
  })))

Deno.test("ChannelSupervisor interrupts every channel when its scope closes", async () => {
  const first = scripted("first", { failures: 0 })
  const second = scripted("second", { failures: 2 })
  await run(Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(
      Effect.scoped(
        ChannelSupervisor.make([first.channel, second.channel], { restartSchedule: Schedule.spaced("1 second") }).pipe(
          Effect.andThen(Effect.never),
        ),
      ),
    )
    yield* TestClock.adjust(5_000)
    assertEquals(second.attempts.length, 3)
    yield* Fiber.interrupt(fiber)
  }))
  assert(first.interrupted() && second.interrupted(), "both runs were interrupted")
})

Deno.test("channelRestartSchedule starts near 1 s, doubles with ±20 % jitter, and is capped near 60 s", () =>
  run(Effect.gen(function* () {
    const times: Array<number> = []
    const fiber = yield* Effect.forkChild(
      Clock.currentTimeMillis.pipe(
        Effect.tap((now) => Effect.sync(() => void times.push(now))),
        Effect.andThen(Effect.fail("down")),
        Effect.retry(channelRestartSchedule.pipe(Schedule.upTo({ times: 10 }))),
        Effect.ignore,
      ),
    )
    for (let i = 0; i < 800; i++) yield* TestClock.adjust(1_000)
    yield* Fiber.join(fiber)
    const gaps = times.slice(1).map((t, i) => t - times[i]!)
    assertEquals(gaps.length, 10)
    assert(gaps[0]! >= 800 && gaps[0]! <= 1_200, `first delay ${gaps[0]}`)
    assert(gaps[2]! > gaps[0]!, `grows: ${gaps}`)
    for (const gap of gaps) assert(gap <= 73_000, `capped: ${gaps}`)
    assert(gaps.slice(-3).every((gap) => gap >= 48_000), `reaches the cap: ${gaps}`)
  })))
