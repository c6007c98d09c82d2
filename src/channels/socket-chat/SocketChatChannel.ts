/**
 * The socket-chat channel (protocols/socket-chat.md): one `Channel` per account, each fetching its MQTT parameters
 * from the backend, subscribing `reciveTopic` and publishing answers to `sendTopic` with QoS 1. `run` reconnects
 * by itself with the protocol's backoff (`reconnectBaseDelayMs` × 2^n, at most 60 s, ±10 % jitter) and a fresh
 * config fetch each time; after `maxReconnectAttempts` consecutive failures it fails non-retryable, so the
 * supervisor keeps retrying slowly and the status says so. Outbound payloads wait in an `Outbox` while disconnected.
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Random from "effect/Random"
import { MessageBus } from "../../bus/MessageBus.ts"
import type { OutboundMessage } from "../../bus/Messages.ts"
import { PairingStore } from "../../security/PairingStore.ts"
import type { Database, DatabaseError } from "../../storage/Database.ts"
import { type Channel, ChannelError, type ChannelReporter } from "../Channel.ts"
import { acceptPayload, SeenMessages } from "./inbound.ts"
import { type MqttParams, MqttParamsCache } from "./MqttParams.ts"
import { connectMqtt, type MqttSession } from "./MqttSession.ts"
import { makeOutbox } from "./Outbox.ts"
import { isHttpUrl, outboundPayloads } from "./protocol.ts"
import {
  CHANNEL,
  DEFAULT_ACCOUNT,
  type SocketChatAccount,
  socketChatAccounts,
  type SocketChatConfig,
} from "./SocketChatConfig.ts"
import { parseTarget } from "./target.ts"

export const MAX_RECONNECT_DELAY_MS = 60_000

/** Delay before reconnect number `n + 1` (n = consecutive failures so far, from 0), given a uniform `random01`. */
export const reconnectDelayMs = (baseMs: number, n: number, random01: number) =>
  Math.round(Math.min(baseMs * 2 ** n, MAX_RECONNECT_DELAY_MS) * (0.9 + 0.2 * random01))

const brokerDetails = (params: MqttParams) => ({
  host: params.host,
  port: params.port,
  reciveTopic: params.reciveTopic,
  sendTopic: params.sendTopic,
  robotId: params.robotId,
  clientId: params.clientId,
})

export class SocketChatChannel {
  static readonly make = (account: SocketChatAccount, options: { readonly cache?: MqttParamsCache } = {}) =>
    Effect.gen(function* () {
      const bus = yield* MessageBus
      const pairing = yield* PairingStore
      const cache = options.cache ?? new MqttParamsCache()
      const outbox = yield* makeOutbox
      const seen = new SeenMessages()
      const id = account.accountId === DEFAULT_ACCOUNT ? CHANNEL : `${CHANNEL}:${account.accountId}`
      const fail = (reason: ChannelError["reason"], message: string, retryable: boolean) =>
        new ChannelError({ channel: id, reason, message, retryable })

      const send = Effect.fn("SocketChatChannel.send")(function* (message: OutboundMessage) {
        if (message.kind === "delta") return
        const parsed = parseTarget(message.chatId)
        if (parsed._tag === "Invalid") return yield* fail("SendFailed", parsed.message, false)
        const media = message.media ?? []
        const skipped = media.filter((m) => !isHttpUrl(m.url))
        if (skipped.length > 0) {
          yield* Effect.logWarning(`socket-chat sends images by http(s) URL only; skipped ${skipped.length}`)
        }
        const payloads = outboundPayloads(
          parsed.target,
          message.content,
          media.filter((m) => isHttpUrl(m.url)).map((m) => m.url.trim()),
          message.mentions ?? [],
        )
        for (const done of yield* outbox.enqueue(payloads)) yield* Deferred.await(done)
      })

      const handle = (reporter: ChannelReporter, params: MqttParams, bytes: Uint8Array) =>
        Effect.gen(function* () {
          const result = yield* acceptPayload(account, params.robotId, bytes, seen).pipe(
            Effect.provideService(PairingStore, pairing),
          )
          switch (result._tag) {
            case "Skip":
              return yield* result.malformed === true
                ? Effect.logWarning(`Skipped a socket-chat message: ${result.reason}`)
                : Effect.logDebug(`Ignored a socket-chat message: ${result.reason}`)
            case "Denied": {
              yield* reporter.inbound
              if (result.outcome._tag === "Drop") {
                return yield* Effect.logInfo(`Dropped a message from "${result.senderId}": ${result.outcome.reason}`)
              }
              const reply = outboundPayloads({ kind: "direct", contactId: result.senderId }, result.outcome.text)
              return yield* outbox.enqueue(reply).pipe(
                Effect.catch((error) => Effect.logWarning(`Could not queue the pairing reply: ${error.message}`)),
              )
            }
            case "Accept":
              yield* reporter.inbound
              return yield* bus.publishInbound(result.message)
          }
        }).pipe(Effect.catchDefect((defect) => Effect.logError("socket-chat message handler crashed", defect)))

      const serve = (reporter: ChannelReporter, fresh: boolean, onConnected: () => void) =>
        Effect.gen(function* () {
          const params = yield* cache.get(account, { fresh })
          const session: MqttSession = yield* connectMqtt(params, { subscribe: params.reciveTopic })
          onConnected()
          yield* reporter.connected({ ...brokerDetails(params), state: "connected", reconnectAttempts: 0 })
          yield* Effect.logInfo(
            `socket-chat account "${account.accountId}" connected to ${params.host}:${params.port}; ` +
              `listening on ${params.reciveTopic}`,
          )
          yield* Effect.forkScoped(outbox.drain((payload) => session.publish(params.sendTopic, payload)))
          yield* Effect.forkScoped(Effect.forever(
            Queue.take(session.messages).pipe(Effect.flatMap((m) => handle(reporter, params, m.payload))),
          ))
          return yield* Effect.flatMap(session.lost, Effect.fail)
        }).pipe(Effect.scoped)

      const run = (reporter: ChannelReporter) =>
        Effect.gen(function* () {
          let failures = 0
          while (true) {
            const error = yield* Effect.flip(serve(reporter, failures > 0, () => void (failures = 0)))
            yield* reporter.disconnected(error.message)
            if (!error.retryable) {
              yield* reporter.details({ state: "failed", note: "retrying every few minutes" })
              return yield* error
            }
            failures++
            if (failures > account.maxReconnectAttempts) {
              const note =
                `gave up after ${account.maxReconnectAttempts} reconnect attempts; retrying every few minutes`
              yield* reporter.details({ state: "failed", reconnectAttempts: failures - 1, note })
              return yield* fail("Disconnected", `${error.message} (${note})`, false)
            }
            const delay = reconnectDelayMs(account.reconnectBaseDelayMs, failures - 1, yield* Random.next)
            yield* reporter.details({
              state: "reconnecting",
              reconnectAttempts: failures,
              nextRetryInMs: delay,
              queued: outbox.size(),
            })
            yield* Effect.logWarning(
              `socket-chat account "${account.accountId}": ${error.message}; reconnecting in ${delay} ms ` +
                `(attempt ${failures} of ${account.maxReconnectAttempts})`,
            )
            yield* Effect.sleep(delay)
          }
        })

      return {
        id,
        name: CHANNEL,
        accountId: account.accountId,
        run,
        send,
      } satisfies Channel
    })

  /** One channel per enabled account, sharing a config cache and the pairing store. */
  static readonly fromConfig = (
    config: SocketChatConfig,
  ): Effect.Effect<ReadonlyArray<Channel>, DatabaseError, MessageBus | Database> =>
    Effect.gen(function* () {
      const accounts = socketChatAccounts(config).filter((account) => account.enabled)
      if (accounts.length === 0) return []
      const pairing = yield* PairingStore.make
      const cache = new MqttParamsCache()
      return yield* Effect.forEach(
        accounts,
        (account) => SocketChatChannel.make(account, { cache }).pipe(Effect.provideService(PairingStore, pairing)),
      )
    })
}
