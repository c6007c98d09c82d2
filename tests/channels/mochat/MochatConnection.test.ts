/**
 * The Mochat connection under trouble, against the fake Mochat: socket outages (HTTP fallback, reconnect,
 * re-subscribe), refused subscriptions, a first connect that fails, Socket.IO's long-polling transport, the JSON
 * parser, and a rejected token.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { ChannelError } from "../../../src/channels/Channel.ts"
import { assert, assertEquals } from "../../support/assert.ts"
import { startFakeMochat } from "../../support/fake_mochat.ts"
import { recordingReporter } from "../Channel.contract.ts"
import { mochatConfig, sleep, startChannel, subscribedTo, until } from "./harness.ts"

const watches = (fake: { requests: Array<{ path: string }> }) =>
  fake.requests.filter((r) => r.path === "/api/claw/sessions/watch").length
const polls = (fake: { requests: Array<{ path: string }> }) =>
  fake.requests.filter((r) => r.path === "/api/claw/groups/panels/messages").length

Deno.test("MochatChannel falls back to HTTP during a socket outage, then reconnects and re-subscribes", async () => {
  const fake = await startFakeMochat({ sessions: ["session_a"], panels: ["panel_1"] })
  const running = await startChannel(mochatConfig(fake))
  try {
    await until(() => subscribedTo(fake, "sessions").length === 1, "the first subscription")
    fake.userSays("session_a", "alice", "before the outage")
    await until(() => running.inbound.length === 1, "the first message")

    fake.socketDown(true)
    await until(() => running.reporter.reported.mode === "http-fallback", "the fallback mode")
    assert(running.reporter.events.some((e) => e.startsWith("disconnected")), "the disconnect is reported")
    await until(() => watches(fake) > 0 && polls(fake) > 1, "the fallback's watch and panel poll")
    fake.userSays("session_a", "alice", "during the outage")
    fake.panelSays("panel_1", "bob", "panel during the outage")
    await until(() => running.inbound.length === 3, "both messages through HTTP", 5_000)
    assertEquals(running.inbound.slice(1).map((m) => m.content).sort(), [
      "during the outage",
      "panel during the outage",
    ])

    fake.socketDown(false)
    await until(() => subscribedTo(fake, "sessions").length === 2, "the re-subscription")
    assertEquals(subscribedTo(fake, "sessions")[1]!.payload.cursors, { session_a: 2 })
    await until(() => running.reporter.reported.mode === "socket", "the socket mode")
    await sleep(700)
    const [w, p] = [watches(fake), polls(fake)]
    await sleep(700)
    assertEquals([watches(fake), polls(fake)], [w, p], "the fallback stopped after the re-subscription")
    fake.userSays("session_a", "alice", "after the outage")
    await until(() => running.inbound.length === 4, "the message after the outage")
    await sleep(100)
    assertEquals(running.inbound.map((m) => m.content).filter((c) => c === "during the outage").length, 1)
  } finally {
    await running.stop()
    await fake.close()
  }
})

Deno.test("MochatChannel uses the HTTP fallback while subscriptions are refused, and retries them", async () => {
  const fake = await startFakeMochat({ sessions: ["session_a"], panels: [] })
  fake.failSubscribe = true
  const running = await startChannel(mochatConfig(fake, { panels: [] }))
  try {
    await until(() => running.reporter.reported.mode === "http-fallback", "the fallback mode")
    await until(() => watches(fake) > 1, "the first watch reply (the cold session's watermark)")
    fake.userSays("session_a", "alice", "via watch")
    await until(() => running.inbound.length === 1, "the message through sessions/watch")
    fake.failSubscribe = false
    await until(() => running.reporter.reported.mode === "socket", "a successful re-subscription")
    assertEquals(subscribedTo(fake, "sessions").at(-1)!.payload.cursors, { session_a: 1 })
  } finally {
    await running.stop()
    await fake.close()
  }
})

Deno.test("MochatChannel retries the first connect until the socket server is up", async () => {
  const fake = await startFakeMochat({ sessions: ["session_a"], panels: [] })
  fake.socketDown(true)
  const running = await startChannel(mochatConfig(fake))
  try {
    await until(() => running.reporter.events.filter((e) => e.startsWith("disconnected")).length >= 2, "retries")
    assertEquals(running.reporter.events.includes("connected"), false)
    fake.socketDown(false)
    await until(() => running.reporter.events.includes("connected"), "the connection")
    await until(() => subscribedTo(fake, "sessions").length === 1, "the subscription")
  } finally {
    await running.stop()
    await fake.close()
  }
})

Deno.test("MochatChannel falls back to Socket.IO long-polling when WebSockets fail, with the JSON parser", async () => {
  const fake = await startFakeMochat({ sessions: ["session_a"], panels: [], pollingOnly: true, msgpack: false })
  const running = await startChannel(mochatConfig(fake, { socket_disable_msgpack: true }))
  try {
    await until(() => running.reporter.events.includes("connected"), "the connection")
    assertEquals(running.reporter.reported.transport, "polling")
    await until(() => subscribedTo(fake, "sessions").length === 1, "the subscription")
    await sleep(50)
    fake.userSays("session_a", "alice", "over long-polling")
    await until(() => running.inbound.length === 1, "the message")
    assertEquals(running.inbound[0]!.content, "over long-polling")
  } finally {
    await running.stop()
    await fake.close()
  }
})

Deno.test("MochatChannel gives up after maxRetryAttempts reconnects with a retryable Disconnected", async () => {
  const fake = await startFakeMochat({ sessions: ["session_a"], panels: [] })
  fake.socketDown(true)
  const running = await startChannel(mochatConfig(fake, { max_retry_attempts: 2 }))
  try {
    const exit = await Effect.runPromise(
      Effect.exit(running.channel.run(recordingReporter()).pipe(Effect.timeout("5 seconds"))),
    )
    const error = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail")?.error : undefined
    assert(
      error instanceof ChannelError,
      `expected a ChannelError, got ${Exit.isFailure(exit) ? exit.cause : "success"}`,
    )
    assertEquals([error.reason, error.retryable], ["Disconnected", true])
  } finally {
    await running.stop()
    await fake.close()
  }
})

Deno.test("MochatChannel retries a failed send, then reports it as a ChannelError", async () => {
  const fake = await startFakeMochat({ sessions: ["session_a"], panels: [] })
  const running = await startChannel(mochatConfig(fake))
  const push = (content: string) =>
    Effect.runPromiseExit(running.channel.send({
      id: crypto.randomUUID(),
      channel: "mochat",
      chatId: "session_a",
      kind: "push",
      content,
    }))
  try {
    fake.failNextSends(2)
    assert(Exit.isSuccess(await push("after two failures")))
    assertEquals(fake.sends.map((s) => s.body.content), ["after two failures"])
    fake.failNextSends(10)
    const exit = await push("never delivered")
    const error = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail")?.error : undefined
    assert(error instanceof ChannelError && error.reason === "SendFailed", "a SendFailed ChannelError")
    assertEquals(fake.sends.length, 1)
  } finally {
    await running.stop()
    await fake.close()
  }
})

const rejected = async (overrides: Record<string, unknown>) => {
  const fake = await startFakeMochat({ sessions: ["session_a"], panels: [] })
  const config = mochatConfig(fake, { claw_token: "claw_wrongwrongwrong", ...overrides })
  const running = await startChannel(config)
  try {
    const reporter = recordingReporter()
    const exit = await Effect.runPromise(Effect.exit(running.channel.run(reporter).pipe(Effect.timeout("5 seconds"))))
    assert(Exit.isFailure(exit), "run fails")
    const error = exit.cause.reasons.find((r) => r._tag === "Fail")?.error
    assert(error instanceof ChannelError, `expected a ChannelError, got ${exit.cause}`)
    assertEquals([error.reason, error.retryable, error.message], ["AuthFailed", false, "Mochat rejected claw_token"])
    assertEquals(fake.connectedSockets(), 0)
    return { first: running.reporter.events, second: reporter.events }
  } finally {
    await running.stop()
    await fake.close()
  }
}

Deno.test("MochatChannel stops with a non-retryable AuthFailed when the HTTP API rejects the token, once", async () => {
  const { first, second } = await rejected({})
  assertEquals(first.filter((e) => e === "error: Mochat rejected claw_token").length, 1)
  assertEquals(second.filter((e) => e.startsWith("error")).length, 0, "reported once, not on every attempt")
})

Deno.test("MochatChannel stops with AuthFailed when the socket rejects the token", async () => {
  const { first } = await rejected({ sessions: ["session_a"], panels: [] })
  assertEquals(first.filter((e) => e === "error: Mochat rejected claw_token").length, 1)
})

Deno.test("MochatChannel fails run with ConfigInvalid without a claw_token", async () => {
  const fake = await startFakeMochat()
  const running = await startChannel({ ...mochatConfig(fake), clawToken: undefined } as never)
  try {
    const exit = await Effect.runPromise(Effect.exit(running.channel.run(recordingReporter())))
    const error = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail")?.error : undefined
    assert(error instanceof ChannelError && error.reason === "ConfigInvalid", "ConfigInvalid")
  } finally {
    await running.stop()
    await fake.close()
  }
})
