/**
 * A socket-chat world for tests: a real aedes broker (checking credentials), the fake config backend, the channel
 * of each configured account running against them (in-memory SQLite for pairing, a real MessageBus), and a
 * platform client per account playing the IM users. `withWorld` tears everything down, even when the test fails.
 */
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { MessageBus } from "../../../src/bus/MessageBus.ts"
import type { InboundMessage, OutboundMessage } from "../../../src/bus/Messages.ts"
import type { Channel } from "../../../src/channels/Channel.ts"
import { SocketChatChannel } from "../../../src/channels/socket-chat/SocketChatChannel.ts"
import { decodeConfigValue } from "../../../src/config/decodeConfig.ts"
import { PairingStore } from "../../../src/security/PairingStore.ts"
import { Database } from "../../../src/storage/Database.ts"
import { startBroker, type TestBroker } from "../../support/mqtt_broker.ts"
import {
  type BackendParams,
  connectPlatform,
  mqttParams,
  type Platform,
  PLATFORM_USER,
  startBackend,
  type TestBackend,
} from "../../support/socket_chat_backend.ts"
import { type RecordingReporter, recordingReporter } from "../Channel.contract.ts"
import { until } from "../../support/wait.ts"
export { until }

export interface AccountWorld {
  readonly channel: Channel
  readonly params: BackendParams
  readonly platform: Platform
  readonly reporter: RecordingReporter
  /** The fiber running `channel.run`. */
  readonly fiber: Fiber.Fiber<never, unknown>
  /** Sends an outbound message through the channel (as the supervisor would). */
  readonly send: (message: Omit<OutboundMessage, "id" | "channel">) => Promise<void>
}

export interface World {
  readonly broker: TestBroker
  readonly backend: TestBackend
  readonly inbound: Array<InboundMessage>
  readonly accounts: Readonly<Record<string, AccountWorld>>
  readonly runtime: ManagedRuntime.ManagedRuntime<MessageBus | PairingStore | Database, unknown>
}

/**
 * `config` is `channels.socket-chat` without the connection keys: the default account gets apiKey `key-default`,
 * every `accounts.<id>` apiKey `key-<id>`; all point at the fake backend.
 */
export const withWorld = (config: Record<string, unknown>, body: (world: World) => Promise<void>) => async () => {
  const backend = await startBackend()
  const broker = await startBroker({ users: { [PLATFORM_USER.username]: PLATFORM_USER.password } })
  const accountIds = [
    ...(config.enabled === false ? [] : ["default"]),
    ...Object.keys((config.accounts ?? {}) as object),
  ]
  const params = Object.fromEntries(accountIds.map((id) => [id, mqttParams(broker.port, id)]))
  for (const p of Object.values(params)) broker.allow(p.username, p.password)
  for (const id of accountIds) backend.register(`key-${id}`, params[id]!)
  const accounts = Object.fromEntries(
    Object.entries((config.accounts ?? {}) as Record<string, Record<string, unknown>>).map((
      [id, own],
    ) => [id, { apiKey: `key-${id}`, ...own }]),
  )
  const decoded = decodeConfigValue({
    channels: {
      "socket-chat": {
        enabled: true,
        apiKey: "key-default",
        apiBaseUrl: backend.url,
        reconnectBaseDelayMs: 50,
        ...config,
        accounts,
      },
    },
  })
  if (decoded._tag !== "Ok") throw new Error(decoded.problems.join("\n"))
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(MessageBus.layer, PairingStore.layer.pipe(Layer.provideMerge(Database.layerMemory))),
  )
  const inbound: Array<InboundMessage> = []
  const fibers: Array<Fiber.Fiber<unknown, unknown>> = []
  const platforms: Array<Platform> = []
  try {
    const channels = await runtime.runPromise(SocketChatChannel.fromConfig(decoded.config.channels.socketChat))
    const collect = MessageBus.use((bus) => bus.takeInbound).pipe(
      Effect.tap((m) => Effect.sync(() => inbound.push(m))),
      Effect.forever,
    )
    fibers.push(runtime.runFork(collect))
    const worlds: Record<string, AccountWorld> = {}
    for (const channel of channels) {
      const id = channel.accountId ?? "default"
      const reporter = recordingReporter()
      const fiber = runtime.runFork(channel.run(reporter))
      fibers.push(fiber)
      await until(() => reporter.events.includes("connected"), `account ${id} to connect`)
      const platform = await connectPlatform(broker.url, params[id]!)
      platforms.push(platform)
      worlds[id] = {
        channel,
        params: params[id]!,
        platform,
        reporter,
        fiber,
        send: (message) =>
          runtime.runPromise(
            channel.send({ id: crypto.randomUUID(), channel: "socket-chat", accountId: id, ...message }),
          ),
      }
    }
    await body({ broker, backend, inbound, accounts: worlds, runtime })
  } finally {
    for (const fiber of fibers) await Effect.runPromise(Fiber.interrupt(fiber))
    for (const platform of platforms) await platform.close()
    await runtime.dispose()
    await broker.close()
    await backend.close()
  }
}
