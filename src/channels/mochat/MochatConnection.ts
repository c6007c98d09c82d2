/**
 * The Mochat connection manager: keeps a Socket.IO connection up (reconnecting on `reconnectSchedule`, the
 * first attempt included), subscribes sessions (with the full cursor map) and panels on every connect and feeds
 * the acknowledgements' backlog to the inbound handler, and runs the HTTP fallback whenever the socket is down
 * or a subscription failed, stopping it once a re-subscription succeeds. `resync` re-subscribes (or restarts
 * the fallback) after discovery found new sessions or panels, or after a refused subscription.
 */
import * as Effect from "effect/Effect"
import * as FiberHandle from "effect/FiberHandle"
import * as Result from "effect/Result"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Semaphore from "effect/Semaphore"
import { ChannelError, type ChannelReporter } from "../Channel.ts"
import type { MochatConfig } from "./MochatConfig.ts"
import { type FallbackDeps, runFallback } from "./MochatFallback.ts"
import type { MochatHttp } from "./MochatHttp.ts"
import { CHANNEL, type MochatInbound } from "./MochatInbound.ts"
import { connectSocket, type MochatEventName, type MochatSocket, type MochatSocketError } from "./MochatSocket.ts"
import type { MochatState } from "./MochatState.ts"
import type { MochatTargets } from "./MochatTargets.ts"

/** Socket reconnects: `socketReconnectDelayMs` doubling to `socketMaxReconnectDelayMs`, jittered; `maxRetryAttempts` 0 = forever. */
export const reconnectSchedule = (config: MochatConfig) => {
  const backoff = Schedule.exponential(config.socketReconnectDelayMs).pipe(
    (exponential) => Schedule.min([exponential, Schedule.spaced(config.socketMaxReconnectDelayMs)]),
    Schedule.jittered,
  )
  return config.maxRetryAttempts === 0 ? backoff : Schedule.max([backoff, Schedule.recurs(config.maxRetryAttempts)])
}

const Ack = Schema.Struct({
  result: Schema.Boolean,
  data: Schema.optionalKey(Schema.Unknown),
  message: Schema.optionalKey(Schema.String),
})
const decodeAck = Schema.decodeUnknownOption(Ack)
const SessionsEnvelope = Schema.Struct({ sessions: Schema.Array(Schema.Unknown) })
const decodeSessionsEnvelope = Schema.decodeUnknownOption(SessionsEnvelope)

/** The watch payloads in a subscribeSessions ack: one payload, an array of them, or `{sessions: [...]}`. */
export const ackPayloads = (data: unknown): ReadonlyArray<unknown> => {
  if (data === undefined || data === null) return []
  if (Array.isArray(data)) return data
  const envelope = decodeSessionsEnvelope(data)
  return envelope._tag === "Some" ? envelope.value.sessions : [data]
}

export interface ConnectionDeps extends Omit<FallbackDeps, "inbound"> {
  readonly inbound: MochatInbound
  readonly http: MochatHttp
  readonly state: MochatState
  readonly targets: MochatTargets
  readonly reporter: ChannelReporter
  readonly onEvent: (name: MochatEventName, payload: unknown) => void
}

export const makeMochatConnection = Effect.fn("MochatConnection.make")(function* (deps: ConnectionDeps) {
  const { config, targets, state, inbound, reporter } = deps
  const fallback = yield* FiberHandle.make<void>()
  const lock = yield* Semaphore.make(1)
  let socket: MochatSocket | undefined
  let subscribed = false
  let fallbackRunning = false

  const report = (mode: "socket" | "http-fallback") =>
    reporter.details({ mode, sessions: targets.sessionIds().length, panels: targets.panelIds().length })

  const startFallback = (restart: boolean) =>
    Effect.gen(function* () {
      if (fallbackRunning && !restart) return
      fallbackRunning = true
      yield* FiberHandle.run(fallback, runFallback(deps))
      yield* report("http-fallback")
    })

  const stopFallback = Effect.gen(function* () {
    fallbackRunning = false
    yield* FiberHandle.clear(fallback)
  })

  const emit = (connected: MochatSocket, event: string, payload: unknown) =>
    connected.emitWithAck(event, payload).pipe(
      Effect.map((reply) => {
        const ack = decodeAck(reply)
        if (ack._tag === "None") return Result.fail(`malformed acknowledgement of ${event}`)
        if (!ack.value.result) return Result.fail(`${event} refused: ${ack.value.message ?? "no reason given"}`)
        return Result.succeed(ack.value.data)
      }),
      Effect.catch((error: MochatSocketError) => Effect.succeed(Result.fail(error.message))),
    )

  const subscribe = (connected: MochatSocket) =>
    Effect.gen(function* () {
      const sessionIds = targets.sessionIds()
      const panelIds = targets.panelIds()
      const failures: Array<string> = []
      if (sessionIds.length > 0) {
        const payload = { sessionIds, cursors: state.cursorMap(), limit: config.watchLimit }
        const ack = yield* emit(connected, "com.claw.im.subscribeSessions", payload)
        if (Result.isFailure(ack)) failures.push(ack.failure)
        else for (const entry of ackPayloads(ack.success)) yield* inbound.handleWatch("session", entry)
      }
      if (panelIds.length > 0) {
        const ack = yield* emit(connected, "com.claw.im.subscribePanels", { panelIds })
        if (Result.isFailure(ack)) failures.push(ack.failure)
      }
      subscribed = failures.length === 0
      if (subscribed) {
        yield* stopFallback
        return yield* report("socket")
      }
      const message = `Mochat subscription failed (${failures.join("; ")}); using the HTTP fallback`
      if (fallbackRunning) yield* Effect.logDebug(message)
      else {
        yield* Effect.logWarning(message)
        yield* reporter.error(message)
      }
      yield* startFallback(false)
    })

  /** After new sessions or panels were found: subscribe again, or restart the fallback on the new lists. */
  const resync = lock.withPermits(1)(Effect.suspend(() => {
    if (socket !== undefined) return subscribe(socket)
    return fallbackRunning ? startFallback(true) : Effect.void
  }))

  const connectOnce = Effect.gen(function* () {
    const connected = yield* connectSocket(config, deps.onEvent)
    yield* lock.withPermits(1)(Effect.gen(function* () {
      socket = connected
      yield* reporter.connected({ mode: "socket", transport: connected.transport() })
      yield* Effect.logInfo(`Mochat socket connected (${connected.transport()})`)
      yield* subscribe(connected)
    }))
    return yield* connected.closed
  }).pipe(
    Effect.scoped,
    Effect.ensuring(Effect.sync(() => {
      socket = undefined
      subscribed = false
    })),
  )

  /** Connects and reconnects for as long as it runs; fails when `maxRetryAttempts` ran out. */
  const run: Effect.Effect<never, ChannelError> = Effect.gen(function* () {
    const fresh = Schedule.toStepWithSleep(reconnectSchedule(config))
    let step = yield* fresh
    let failedInARow = 0
    while (true) {
      const outcome = yield* Effect.result(connectOnce)
      if (Result.isFailure(outcome) && outcome.failure.authFailed) {
        yield* deps.onAuthFailure(outcome.failure)
        return yield* Effect.never
      }
      if (Result.isSuccess(outcome)) {
        step = yield* fresh
        failedInARow = 0
      } else failedInARow++
      const message = Result.isSuccess(outcome)
        ? `Mochat socket disconnected: ${outcome.success}`
        : outcome.failure.message
      yield* reporter.disconnected(message)
      if (failedInARow <= 1) yield* Effect.logWarning(`${message}; reconnecting (HTTP fallback meanwhile)`)
      else yield* Effect.logDebug(`${message}; reconnect attempt ${failedInARow}`)
      yield* lock.withPermits(1)(startFallback(false))
      const next = yield* Effect.result(step(undefined))
      if (Result.isFailure(next)) {
        return yield* new ChannelError({
          channel: CHANNEL,
          reason: "Disconnected",
          message: `Gave up reconnecting to Mochat after ${config.maxRetryAttempts} attempt(s): ${message}`,
          retryable: true,
        })
      }
    }
  })

  return {
    run,
    resync,
    /** Connected, but the last subscription was refused: worth trying again. */
    needsSubscribe: () => socket !== undefined && !subscribed,
  }
})
