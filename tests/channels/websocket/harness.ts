/**
 * Runs a WebSocketChannel in-process for tests: a real server on 127.0.0.1 port 0, a real bus, and optionally a
 * TestClock driving its delays (typing indicator).
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/testing/TestClock"
import { MessageBus } from "../../../src/bus/MessageBus.ts"
import type { InboundMessage, OutboundMessage } from "../../../src/bus/Messages.ts"
import { decodeConfigValue } from "../../../src/config/decodeConfig.ts"
import { WebSocketChannel } from "../../../src/channels/websocket/WebSocketChannel.ts"
import { recordingReporter } from "../Channel.contract.ts"
import { until } from "../../support/wait.ts"
export { until }

export const wsConfig = (overrides: Record<string, unknown> = {}) => {
  const decoded = decodeConfigValue({ channels: { websocket: { port: 0, ...overrides } } })
  if (decoded._tag !== "Ok") throw new Error(decoded.problems.join("\n"))
  return decoded.config.channels.websocket
}

export interface RunningChannel {
  readonly url: string
  readonly inbound: Array<InboundMessage>
  readonly reporter: ReturnType<typeof recordingReporter>
  readonly send: (message: Omit<OutboundMessage, "id" | "channel">) => Promise<void>
  readonly clock: TestClock.TestClock | undefined
  readonly failure: () => string | undefined
  readonly stop: () => Promise<void>
}

export const startChannel = async (
  overrides: Record<string, unknown> = {},
  options: { readonly testClock?: boolean; readonly expectFailure?: boolean } = {},
): Promise<RunningChannel> => {
  const bus = await Effect.runPromise(Effect.provide(MessageBus.useSync((b) => b), MessageBus.layer))
  const channel = await Effect.runPromise(
    WebSocketChannel.make(wsConfig(overrides)).pipe(Effect.provideService(MessageBus, bus)),
  )
  const scope = Effect.runSync(Scope.make())
  const clock = options.testClock === true
    ? await Effect.runPromise(TestClock.make().pipe(Effect.provideService(Scope.Scope, scope)))
    : undefined
  const inbound: Array<InboundMessage> = []
  const reporter = recordingReporter()
  const collector = Effect.runFork(
    bus.takeInbound.pipe(Effect.tap((m) => Effect.sync(() => inbound.push(m))), Effect.forever),
  )
  let failure: string | undefined
  const running = channel.run(reporter).pipe(
    Effect.tapError((error) => Effect.sync(() => (failure = error.message))),
  )
  const fiber = Effect.runFork(clock === undefined ? running : running.pipe(Effect.provideService(Clock.Clock, clock)))
  await until(() => reporter.events.includes("connected") || failure !== undefined, "the channel to start")
  if (failure !== undefined && options.expectFailure !== true) throw new Error(failure)
  return {
    url: String(reporter.reported.url ?? ""),
    inbound,
    reporter,
    clock,
    failure: () => failure,
    send: (message) =>
      Effect.runPromise(
        channel.send({ id: crypto.randomUUID(), channel: "websocket", ...message } as OutboundMessage),
      ),
    stop: async () => {
      await Effect.runPromise(Fiber.interrupt(fiber))
      await Effect.runPromise(Fiber.interrupt(collector))
      await Effect.runPromise(Scope.close(scope, Exit.void))
    },
  }
}
