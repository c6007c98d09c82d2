/**
 * SocketChatChannel across broker outages: it reconnects with a fresh config fetch and subscribes again, a reply
 * sent while disconnected is delivered after the reconnect, and after `maxReconnectAttempts` failures it fails
 * non-retryable (so the supervisor retries slowly) and says so in its status.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { ChannelError } from "../../../src/channels/Channel.ts"
import { MAX_RECONNECT_DELAY_MS, reconnectDelayMs } from "../../../src/channels/socket-chat/SocketChatChannel.ts"
import { assert, assertEquals } from "../../support/assert.ts"
import { imMessage } from "../../support/socket_chat_backend.ts"
import { until, withWorld } from "./_harness.ts"

const count = (events: ReadonlyArray<string>, prefix: string) => events.filter((e) => e.startsWith(prefix)).length

Deno.test(
  "SocketChatChannel reconnects after a broker restart, refetching its config and subscribing again",
  withWorld({ dmPolicy: "open" }, async ({ accounts, broker, backend, inbound }) => {
    const { platform, params, reporter } = accounts.default!
    const fetchesBefore = backend.requests.length
    await broker.stop()
    await until(() => count(reporter.events, "disconnected") === 1, "the channel to notice the outage")
    assertEquals(reporter.reported.state, "reconnecting")
    await broker.start()
    await until(() => count(reporter.events, "connected") === 2, "the channel to reconnect", 10_000)
    assert(backend.requests.length > fetchesBefore, "the config was fetched again before reconnecting")
    const subscribed = broker.subscriptions.filter((s) => s.startsWith(params.clientId))
    assertEquals(subscribed, [`${params.clientId} ${params.reciveTopic}`, `${params.clientId} ${params.reciveTopic}`])
    await until(() => broker.subscriptions.filter((s) => s.endsWith(params.sendTopic)).length === 2, "the platform")
    await platform.userSends(imMessage(params, { content: "after the restart" }))
    await until(() => inbound.length === 1, "a message after the restart")
    assertEquals(reporter.reported.state, "connected")
  }),
)

Deno.test(
  "SocketChatChannel delivers a reply sent while disconnected once it reconnects",
  withWorld({ dmPolicy: "open" }, async ({ accounts, broker, backend }) => {
    const { platform, params, reporter, send } = accounts.default!
    backend.failWith = 503
    await broker.stop()
    await until(() => count(reporter.events, "disconnected") >= 1, "the channel to notice the outage")
    let delivered = false
    const sending = send({ chatId: "wxid_waiting", kind: "reply", content: "sent during the outage" }).then(() => {
      delivered = true
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    assertEquals(delivered, false, "send waits for the broker's acknowledgement")
    await broker.start()
    await until(() => broker.subscriptions.filter((s) => s.endsWith(params.sendTopic)).length === 2, "the platform")
    backend.failWith = undefined
    await sending
    assertEquals(await platform.next(undefined, 10_000), {
      isGroup: false,
      contactId: "wxid_waiting",
      messages: [{ type: 1, content: "sent during the outage" }],
    })
  }),
)

Deno.test(
  "SocketChatChannel gives up after maxReconnectAttempts with a non-retryable error and a failed status",
  withWorld({ dmPolicy: "open", maxReconnectAttempts: 2, reconnectBaseDelayMs: 10 }, async ({ accounts, broker }) => {
    const { fiber, reporter } = accounts.default!
    await broker.stop()
    const exit = await Effect.runPromise(Fiber.await(fiber))
    assert(Exit.isFailure(exit), "run failed")
    const error = exit.cause.reasons.find((r) => r._tag === "Fail")?.error
    assert(error instanceof ChannelError, `expected a ChannelError, got ${exit.cause}`)
    assertEquals(error.retryable, false)
    assert(error.message.includes("gave up after 2 reconnect attempts"), error.message)
    assertEquals(reporter.reported.state, "failed")
    assertEquals(count(reporter.events, "disconnected"), 3)
  }),
)

Deno.test("reconnectDelayMs doubles from the base delay, caps at 60 s and jitters by ±10 %", () => {
  assertEquals([0, 1, 2, 3].map((n) => reconnectDelayMs(2000, n, 0.5)), [2000, 4000, 8000, 16000])
  assertEquals(reconnectDelayMs(2000, 10, 0.5), MAX_RECONNECT_DELAY_MS)
  assertEquals([reconnectDelayMs(2000, 0, 0), reconnectDelayMs(2000, 0, 1)], [1800, 2200])
  assertEquals(reconnectDelayMs(2000, 30, 1), 66_000)
})
