/**
 * The contract every `Channel` adapter runs (see src/channels/Channel.ts), against a real peer of its platform
 * (a WebSocket client, a Socket.IO server, an MQTT broker…) driven through a `PlatformDriver`.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { MessageBus } from "../../src/bus/MessageBus.ts"
import type { InboundMessage } from "../../src/bus/Messages.ts"
import { type Channel, ChannelError, type ChannelReporter } from "../../src/channels/Channel.ts"
import { assert, assertEquals } from "../support/assert.ts"
import { until } from "../support/wait.ts"

/** Drives the platform side: plays users, and sees what the channel delivered. */
export interface PlatformDriver {
  /**
   * Called once the channel reported connected, with the details it reported (e.g. the URL it listens on); waits
   * until the platform sees it too (client connected, subscribed…).
   */
  readonly ready: (details: Readonly<Record<string, unknown>>) => Promise<void>
  /** A user sends `text` in a direct chat; resolves once the platform has sent it. */
  readonly userSends: (user: string, text: string) => Promise<void>
  /** The platform sends something malformed (bad JSON, wrong types, poisoned payload). */
  readonly sendMalformed: () => Promise<void>
  /** The chat id under which the channel publishes messages from `user` (and to which replies go). */
  readonly chatIdOf: (user: string) => string
  /** The next text the platform received from the channel for `user`, waiting up to `timeoutMs`. */
  readonly nextDelivered: (user: string, timeoutMs?: number) => Promise<string>
  /** Whether the platform sees the channel as disconnected (after `run` was interrupted). */
  readonly isDisconnected: () => Promise<boolean>
  readonly close: () => Promise<void>
}

export interface ChannelHarness {
  /** Builds the adapter (pointed at the peer) and the peer's driver. */
  readonly make: () => Promise<{
    readonly channel: Effect.Effect<Channel, unknown, MessageBus>
    readonly driver: PlatformDriver
  }>
}

export interface RecordingReporter extends ChannelReporter {
  readonly events: Array<string>
  readonly reported: Record<string, unknown>
}

export const recordingReporter = (): RecordingReporter => {
  const events: Array<string> = []
  const reported: Record<string, unknown> = {}
  const record = (event: string) => Effect.sync(() => void events.push(event))
  return {
    events,
    reported,
    connected: (details) =>
      Effect.sync(() => {
        Object.assign(reported, details ?? {})
        events.push("connected")
      }),
    disconnected: (error) => record(`disconnected${error === undefined ? "" : `: ${error}`}`),
    inbound: record("inbound"),
    outbound: record("outbound"),
    details: (details) => Effect.sync(() => void Object.assign(reported, details)),
    error: (message) => record(`error: ${message}`),
  }
}

/** Registers the contract's tests for one adapter. */
export const channelContract = (name: string, harness: ChannelHarness) => {
  const withChannel = (
    body: (ctx: {
      channel: Channel
      driver: PlatformDriver
      reporter: RecordingReporter
      inbound: Array<InboundMessage>
      stop: () => Promise<void>
    }) => Promise<void>,
  ) =>
  async () => {
    const { channel: makeChannel, driver } = await harness.make()
    const inbound: Array<InboundMessage> = []
    const reporter = recordingReporter()
    try {
      const bus = await Effect.runPromise(Effect.provide(MessageBus.useSync((bus) => bus), MessageBus.layer))
      const channel = await Effect.runPromise(makeChannel.pipe(Effect.provideService(MessageBus, bus)))
      const collector = Effect.runFork(
        bus.takeInbound.pipe(Effect.tap((m) => Effect.sync(() => inbound.push(m))), Effect.forever),
      )
      const running = Effect.runFork(channel.run(reporter))
      const stop = async () => {
        await Effect.runPromise(Fiber.interrupt(running))
      }
      try {
        await until(() => reporter.events.includes("connected"), "the channel to report connected")
        await driver.ready(reporter.reported)
        await body({ channel, driver, reporter, inbound, stop })
      } finally {
        await Effect.runPromise(Fiber.interrupt(running))
        await Effect.runPromise(Fiber.interrupt(collector))
      }
    } finally {
      await driver.close()
    }
  }

  Deno.test(
    `${name} publishes a user's message on the bus with its channel, chat and sender`,
    withChannel(
      async ({ channel, driver, inbound, reporter }) => {
        await driver.userSends("alice", "hello from alice")
        await until(() => inbound.length === 1, "one inbound message")
        const message = inbound[0]!
        assertEquals(message.channel, channel.name)
        assertEquals(message.content.includes("hello from alice"), true)
        assertEquals(message.chatId, driver.chatIdOf("alice"))
        assert(message.id !== "", "inbound messages have ids")
        assert(reporter.events.includes("inbound"), "inbound is reported")
      },
    ),
  )

  Deno.test(
    `${name} delivers a reply to the chat it names`,
    withChannel(async ({ channel, driver, inbound }) => {
      await driver.userSends("bob", "ping")
      await until(() => inbound.length === 1, "bob's message")
      const to = inbound[0]!
      await Effect.runPromise(channel.send({
        id: crypto.randomUUID(),
        channel: channel.name,
        chatId: to.chatId,
        kind: "reply",
        content: "pong for bob",
        replyTo: to.id,
        ...(to.accountId !== undefined ? { accountId: to.accountId } : {}),
      }))
      assertEquals(await driver.nextDelivered("bob"), "pong for bob")
    }),
  )

  Deno.test(
    `${name} skips malformed platform input and keeps running`,
    withChannel(async ({ driver, inbound }) => {
      await driver.sendMalformed()
      await driver.userSends("carol", "still here")
      await until(() => inbound.some((m) => m.content.includes("still here")), "the message after the malformed one")
      assertEquals(inbound.filter((m) => m.content.includes("still here")).length, 1)
    }),
  )

  Deno.test(
    `${name} fails sends to an unknown target with a ChannelError, not a defect`,
    withChannel(
      async ({ channel }) => {
        const exit = await Effect.runPromiseExit(channel.send({
          id: crypto.randomUUID(),
          channel: channel.name,
          chatId: "nobody-is-here-0000",
          kind: "push",
          content: "hello?",
        }))
        if (Exit.isSuccess(exit)) return
        const failure = exit.cause.reasons.find((r) => r._tag === "Fail")
        assert(
          failure !== undefined && failure.error instanceof ChannelError,
          `expected a ChannelError, got ${exit.cause}`,
        )
      },
    ),
  )

  Deno.test(
    `${name} disconnects from the platform when run is interrupted`,
    withChannel(async ({ driver, stop }) => {
      await stop()
      const deadline = Date.now() + 5_000
      while (!(await driver.isDisconnected())) {
        if (Date.now() > deadline) throw new Error("the platform still sees the channel connected")
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }),
  )
}
