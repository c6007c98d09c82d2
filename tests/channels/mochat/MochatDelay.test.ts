/**
 * The panel reply delay inside the running channel, on `TestClock`: the seed's 2-minute `non-mention` delay is
 * checked in milliseconds, and sessions are never delayed.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import * as TestClock from "effect/testing/TestClock"
import { MessageBus } from "../../../src/bus/MessageBus.ts"
import type { InboundMessage } from "../../../src/bus/Messages.ts"
import { MochatChannel } from "../../../src/channels/mochat/MochatChannel.ts"
import { StateStore } from "../../../src/storage/StateStore.ts"
import { assertEquals } from "../../support/assert.ts"
import { startFakeMochat } from "../../support/fake_mochat.ts"
import { recordingReporter } from "../Channel.contract.ts"
import { mochatConfig, sleep, subscribedTo, until } from "./harness.ts"

Deno.test("MochatChannel holds panel messages for the 2-minute quiet period on the TestClock", async () => {
  const fake = await startFakeMochat({ sessions: ["session_a"], panels: ["panel_1"] })
  const scope = await Effect.runPromise(Scope.make())
  const context = await Effect.runPromise(
    Layer.build(Layer.mergeAll(TestClock.layer(), MessageBus.layer, StateStore.layerMemory)).pipe(Scope.provide(scope)),
  )
  const run = <A, E>(effect: Effect.Effect<A, E, MessageBus | StateStore>) =>
    Effect.runPromise(effect.pipe(Effect.provideContext(context)))
  const inbound: Array<InboundMessage> = []
  const config = mochatConfig(fake, {
    reply_delay_mode: "non-mention",
    reply_delay_ms: 120_000,
    refresh_interval_ms: 600_000,
  })
  const channel = await run(MochatChannel.make(config))
  const bus = await run(MessageBus.useSync((bus) => bus))
  const collector = Effect.runFork(
    bus.takeInbound.pipe(Effect.tap((m) => Effect.sync(() => inbound.push(m))), Effect.forever),
  )
  const running = Effect.runFork(channel.run(recordingReporter()).pipe(Effect.provideContext(context)))
  try {
    await until(() => subscribedTo(fake, "panels").length === 1, "the subscriptions")
    fake.panelSays("panel_1", "ann", "anyone up for lunch?")
    fake.userSays("session_a", "alice", "a direct question")
    await until(() => inbound.length === 1, "the session message, never delayed")
    await sleep(100)
    await run(TestClock.adjust("119999 millis"))
    await sleep(100)
    assertEquals(inbound.map((m) => m.content), ["a direct question"], "the panel is still waiting")
    await run(TestClock.adjust("1 millis"))
    await until(() => inbound.length === 2, "the panel message after two minutes")
    assertEquals(inbound[1]!.chatId, "panel_1")
  } finally {
    await Effect.runPromise(Fiber.interrupt(running))
    await Effect.runPromise(Fiber.interrupt(collector))
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await fake.close()
  }
})
