/**
 * One MQTT connection (mqtt.js) as a scoped resource: connected and subscribed when acquired, ended when the scope
 * closes. mqtt.js's own reconnect is off (`reconnectPeriod: 0`): the channel reconnects itself, with a fresh config
 * fetch first. This is the only place mqtt.js is called; its callbacks and errors become Effects and
 * `ChannelError`s here. Credentials never appear in an error. mqtt.js is loaded on first connect (startup speed).
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { ChannelError } from "../Channel.ts"
import type { MqttParams } from "./MqttParams.ts"

export const CONNECT_TIMEOUT_MS = 15_000
export const KEEPALIVE_S = 60
/** Inbound messages buffered before the oldest are dropped (a flood must not exhaust memory). */
const INBOUND_BUFFER = 1024

export interface MqttInbound {
  readonly topic: string
  readonly payload: Uint8Array
}

export interface MqttSession {
  /** Publishes with QoS 1 and waits for the broker's PUBACK; fails if the connection is lost first. */
  readonly publish: (topic: string, payload: string) => Effect.Effect<void, ChannelError>
  /** Messages arriving on the subscribed topic. */
  readonly messages: Queue.Dequeue<MqttInbound>
  /** Completes with the reason once the connection is lost. */
  readonly lost: Effect.Effect<ChannelError>
}

const AUTH_CODES = new Set([4, 5, 134, 135])

const describe = (error: unknown) => error instanceof Error ? error.message : String(error)

const toChannelError = (error: unknown, fallback: string) => {
  const code = (error as { code?: unknown } | undefined)?.code
  return typeof code === "number" && AUTH_CODES.has(code)
    ? new ChannelError({
      channel: "socket-chat",
      reason: "AuthFailed",
      message: `The broker refused the credentials: ${describe(error)}`,
      retryable: false,
    })
    : new ChannelError({
      channel: "socket-chat",
      reason: "Disconnected",
      message: error === undefined ? fallback : `${fallback}: ${describe(error)}`,
      retryable: true,
    })
}

/** Connects to `params.url`, subscribes `subscribe` (when given) with QoS 1, and ends the client with the scope. */
export const connectMqtt = (
  params: MqttParams,
  options: { readonly clientId?: string; readonly subscribe?: string } = {},
): Effect.Effect<MqttSession, ChannelError, Scope.Scope> =>
  Effect.gen(function* () {
    const lost = yield* Deferred.make<ChannelError>()
    const messages = yield* Queue.sliding<MqttInbound>(INBOUND_BUFFER)
    let lastError: unknown
    const { default: mqtt } = yield* Effect.promise(() => import("mqtt"))
    const client = yield* Effect.acquireRelease(
      Effect.sync(() =>
        mqtt.connect(params.url, {
          clientId: options.clientId ?? params.clientId,
          username: params.username,
          password: Redacted.value(params.password),
          clean: true,
          keepalive: KEEPALIVE_S,
          connectTimeout: CONNECT_TIMEOUT_MS,
          reconnectPeriod: 0,
        }).on("error", (error) => void (lastError = error))
      ),
      (client) =>
        Effect.callback<void>((resume) => {
          client.removeAllListeners("message")
          client.end(true, {}, () => resume(Effect.void))
        }).pipe(Effect.timeout("2 seconds"), Effect.ignore),
    )
    yield* Effect.callback<void, ChannelError>((resume) => {
      const settle = (effect: Effect.Effect<void, ChannelError>) => {
        client.off("connect", onConnect).off("close", onClose)
        resume(effect)
      }
      const onConnect = () => settle(Effect.void)
      const onClose = () => settle(Effect.fail(toChannelError(lastError, `Cannot connect to ${params.url}`)))
      client.once("connect", onConnect).once("close", onClose)
    }).pipe(
      Effect.timeoutOrElse({
        duration: CONNECT_TIMEOUT_MS + 1_000,
        orElse: () => Effect.fail(toChannelError(undefined, `${params.url} did not accept the connection in time`)),
      }),
    )
    client.on("close", () => {
      Deferred.doneUnsafe(lost, Effect.succeed(toChannelError(lastError, `Lost the connection to ${params.url}`)))
    })
    client.on("message", (topic, payload) => void Queue.offerUnsafe(messages, { topic, payload }))
    const fail = Deferred.await(lost).pipe(Effect.flatMap(Effect.fail))
    if (options.subscribe !== undefined) {
      const topic = options.subscribe
      const granted = yield* Effect.tryPromise({
        try: () => client.subscribeAsync(topic, { qos: 1 }),
        catch: (error) => toChannelError(error, `Cannot subscribe to ${topic}`),
      }).pipe(Effect.raceFirst(fail))
      if (granted.some((grant) => grant.qos === 128)) {
        return yield* new ChannelError({
          channel: "socket-chat",
          reason: "AuthFailed",
          message: `The broker refused the subscription to ${topic}`,
          retryable: false,
        })
      }
    }
    const publish = (topic: string, payload: string) =>
      Effect.tryPromise({
        try: () => client.publishAsync(topic, payload, { qos: 1 }),
        catch: (error) => toChannelError(error, `Cannot publish to ${topic}`),
      }).pipe(Effect.raceFirst(fail), Effect.asVoid)
    return { publish, messages, lost: Deferred.await(lost) }
  })
