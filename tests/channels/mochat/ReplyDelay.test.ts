/**
 * The panel reply delay under `TestClock`: a 2-minute quiet period checked in milliseconds of real time.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as TestClock from "effect/testing/TestClock"
import type { InboundMessage } from "../../../src/bus/Messages.ts"
import { makeReplyDelay, MAX_BUFFERED, type ReplyDelayOptions } from "../../../src/channels/mochat/ReplyDelay.ts"
import { assertEquals } from "../../support/assert.ts"

const TWO_MINUTES = 120_000

const message = (name: string, content: string): InboundMessage => ({
  id: `${name}-${content}`,
  channel: "mochat",
  chatId: "panel_1",
  senderId: name.toLowerCase(),
  senderName: name,
  content,
  isGroup: true,
  timestamp: 0,
})

const withDelay = (
  options: Partial<ReplyDelayOptions>,
  body: (
    offer: (name: string, content: string, mentioned?: boolean) => Effect.Effect<void>,
    published: Array<InboundMessage>,
    scope: Scope.Closeable,
  ) => Effect.Effect<void>,
) =>
  Effect.gen(function* () {
    const published: Array<InboundMessage> = []
    const scope = yield* Scope.make()
    const delay = yield* makeReplyDelay(
      { mode: "non-mention", delayMs: TWO_MINUTES, maxWaitMs: 600_000, ...options },
      (m) => Effect.sync(() => void published.push(m)),
    ).pipe(Scope.provide(scope))
    const offer = (name: string, content: string, mentioned = false) =>
      delay.offer("panel_1", { message: message(name, content), mentioned })
    yield* body(offer, published, scope)
    yield* Scope.close(scope, Exit.void)
  }).pipe(Effect.provide(TestClock.layer()), Effect.runPromise)

Deno.test("ReplyDelay answers a panel message once the panel has been quiet for the delay", () =>
  withDelay({}, (offer, published) =>
    Effect.gen(function* () {
      yield* offer("Ann", "hello")
      yield* TestClock.adjust(TWO_MINUTES - 1)
      assertEquals(published.length, 0)
      yield* TestClock.adjust(1)
      assertEquals(published.map((m) => m.content), ["hello"])
    })))

Deno.test("ReplyDelay restarts the quiet period on each message and merges the buffer into name: text lines", () =>
  withDelay({}, (offer, published) =>
    Effect.gen(function* () {
      yield* offer("Ann", "hello")
      yield* TestClock.adjust(60_000)
      yield* offer("Bob", "anyone here?")
      yield* TestClock.adjust(TWO_MINUTES - 1)
      assertEquals(published.length, 0, "the second message restarted the timer")
      yield* TestClock.adjust(1)
      assertEquals(published.length, 1)
      assertEquals(published[0]!.content, "Ann: hello\nBob: anyone here?")
      assertEquals(published[0]!.senderId, "bob")
      assertEquals(published[0]!.speakersNamed, true, "the agent must not prefix the speaker again")
    })))

Deno.test("ReplyDelay flushes at once on a mention in non-mention mode, mentioning message included", () =>
  withDelay({}, (offer, published) =>
    Effect.gen(function* () {
      yield* offer("Ann", "so, about lunch")
      yield* offer("Bob", "what do you think, bot?", true)
      assertEquals(published.map((m) => m.content), ["Ann: so, about lunch\nBob: what do you think, bot?"])
      yield* TestClock.adjust(TWO_MINUTES * 2)
      assertEquals(published.length, 1, "nothing is left to flush later")
    })))

Deno.test("ReplyDelay in always mode delays mentions too", () =>
  withDelay({ mode: "always", delayMs: 60_000 }, (offer, published) =>
    Effect.gen(function* () {
      yield* offer("Bob", "@bot hi", true)
      yield* TestClock.adjust(59_999)
      assertEquals(published.length, 0)
      yield* TestClock.adjust(1)
      assertEquals(published.map((m) => m.content), ["@bot hi"])
    })))

Deno.test("ReplyDelay in never mode passes every message straight through", () =>
  withDelay({ mode: "never" }, (offer, published) =>
    Effect.gen(function* () {
      yield* offer("Ann", "one")
      yield* offer("Bob", "two")
      assertEquals(published.map((m) => m.content), ["one", "two"])
    })))

Deno.test("ReplyDelay answers a busy panel after the maximum wait", () =>
  withDelay({ maxWaitMs: 300_000 }, (offer, published) =>
    Effect.gen(function* () {
      for (let i = 0; i < 5; i++) {
        yield* offer("Ann", `message ${i}`)
        yield* TestClock.adjust(60_000)
      }
      assertEquals(published.length, 1, "flushed at 5 minutes although the panel never went quiet")
      assertEquals(published[0]!.content.split("\n").length, 5)
    })))

Deno.test("ReplyDelay flushes a panel whose buffer is full", () =>
  withDelay({}, (offer, published) =>
    Effect.gen(function* () {
      for (let i = 0; i < MAX_BUFFERED; i++) yield* offer("Ann", `m${i}`)
      assertEquals(published.length, 1)
    })))

Deno.test("ReplyDelay hands buffered messages to the bus when its scope closes", () =>
  withDelay({}, (offer, published, scope) =>
    Effect.gen(function* () {
      yield* offer("Ann", "still waiting")
      yield* TestClock.adjust(1_000)
      yield* Scope.close(scope, Exit.void)
      assertEquals(published.map((m) => m.content), ["still waiting"])
    })))
