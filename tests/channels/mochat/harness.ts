/**
 * Shared setup of the Mochat tests: a decoded `channels.mochat` config pointed at a fake Mochat, and a running
 * channel with its bus, a recording reporter and an in-memory (or given) state store.
 */
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import { MessageBus } from "../../../src/bus/MessageBus.ts"
import type { InboundMessage, OutboundMessage } from "../../../src/bus/Messages.ts"
import type { Channel } from "../../../src/channels/Channel.ts"
import { MochatChannel } from "../../../src/channels/mochat/MochatChannel.ts"
import type { MochatConfig } from "../../../src/channels/mochat/MochatConfig.ts"
import { decodeConfigValue } from "../../../src/config/decodeConfig.ts"
import { StateStore } from "../../../src/storage/StateStore.ts"
import { type FakeMochat } from "../../support/fake_mochat.ts"
import { type RecordingReporter, recordingReporter } from "../Channel.contract.ts"
import { sleep, until } from "../../support/wait.ts"
export { sleep, until }

/** The seed's snake_case keys, pointed at `fake`, with fast timings for tests. */
export const mochatConfig = (fake: FakeMochat, overrides: Record<string, unknown> = {}): MochatConfig => {
  const decoded = decodeConfigValue({
    channels: {
      mochat: {
        enabled: true,
        base_url: fake.url,
        socket_url: fake.url,
        socket_path: "/socket.io",
        claw_token: fake.token,
        agent_user_id: fake.agent,
        sessions: ["*"],
        panels: ["*"],
        reply_delay_mode: "never",
        socket_reconnect_delay_ms: 50,
        socket_max_reconnect_delay_ms: 200,
        socket_connect_timeout_ms: 2_000,
        refresh_interval_ms: 200,
        watch_timeout_ms: 500,
        retry_delay_ms: 50,
        ...overrides,
      },
    },
  })
  if (decoded._tag !== "Ok") throw new Error(decoded.problems.join("\n"))
  return decoded.config.channels.mochat
}

export interface Running {
  readonly channel: Channel
  readonly bus: MessageBus["Service"]
  readonly inbound: Array<InboundMessage>
  readonly reporter: RecordingReporter
  /** Sends what the agent would answer to `message`. */
  readonly answer: (message: InboundMessage, content: string, kind?: OutboundMessage["kind"]) => Promise<void>
  readonly stop: () => Promise<void>
}

/** A memory state store that outlives channel runs (a "restart" reuses it). */
export const makeStore = () =>
  Effect.runPromise(Effect.provide(StateStore.useSync((store) => store), StateStore.layerMemory))

/** Starts the channel against `config`; the bus's inbound messages are collected, outbound ones routed to `send`. */
export const startChannel = async (
  config: MochatConfig,
  store?: StateStore["Service"],
): Promise<Running> => {
  const state = store ?? await makeStore()
  const bus = await Effect.runPromise(Effect.provide(MessageBus.useSync((bus) => bus), MessageBus.layer))
  const channel = await Effect.runPromise(
    MochatChannel.make(config).pipe(
      Effect.provide(Layer.mergeAll(Layer.succeed(MessageBus, bus), Layer.succeed(StateStore, state))),
    ),
  )
  const inbound: Array<InboundMessage> = []
  const reporter = recordingReporter()
  const collector = Effect.runFork(
    bus.takeInbound.pipe(Effect.tap((m) => Effect.sync(() => inbound.push(m))), Effect.forever),
  )
  const running = Effect.runFork(channel.run(reporter))
  return {
    channel,
    bus,
    inbound,
    reporter,
    answer: (message, content, kind = "reply") =>
      Effect.runPromise(channel.send({
        id: crypto.randomUUID(),
        channel: "mochat",
        chatId: message.chatId,
        kind,
        content,
        replyTo: message.id,
      })),
    stop: async () => {
      await Effect.runPromise(Fiber.interrupt(running))
      await sleep(20)
      await Effect.runPromise(Fiber.interrupt(collector))
    },
  }
}

export const subscribedTo = (fake: FakeMochat, event: "sessions" | "panels") =>
  fake.subscriptions.filter((s) => s.event === event)
