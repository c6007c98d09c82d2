/**
 * Sending to socket-chat from the CLI (`claw message send`, `claw pairing approve --notify`), whether or not a
 * gateway runs: fetch the account's MQTT parameters, publish with QoS 1 over a short-lived connection, disconnect.
 * The connection uses the account's clientId plus a random suffix: reusing the gateway's own clientId would make
 * the broker drop the gateway's connection (MQTT client takeover).
 */
import * as Effect from "effect/Effect"
import { ChannelError } from "../Channel.ts"
import { fetchMqttParams } from "./MqttParams.ts"
import { connectMqtt } from "./MqttSession.ts"
import { outboundPayloads } from "./protocol.ts"
import { CHANNEL, findAccount, type SocketChatConfig } from "./SocketChatConfig.ts"
import { chatIdOf, parseTarget, type Target } from "./target.ts"

export const PUBLISH_TIMEOUT = "20 seconds"

export interface DirectSendResult {
  readonly accountId: string
  readonly target: Target
  readonly chatId: string
  readonly payloads: number
}

const randomSuffix = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0")).join("")

export const sendDirect = Effect.fn("SocketChat.sendDirect")(function* (
  config: SocketChatConfig,
  options: { readonly to: string; readonly text: string; readonly accountId?: string },
) {
  const account = findAccount(config, options.accountId)
  if (account === undefined) {
    return yield* new ChannelError({
      channel: CHANNEL,
      reason: "ConfigInvalid",
      message: options.accountId === undefined
        ? "No socket-chat account is configured (set channels.socket-chat.apiKey, or pass --account)"
        : `No socket-chat account "${options.accountId}" in the config`,
      retryable: false,
    })
  }
  const parsed = parseTarget(options.to)
  if (parsed._tag === "Invalid") {
    return yield* new ChannelError({
      channel: CHANNEL,
      reason: "SendFailed",
      message: parsed.message,
      retryable: false,
    })
  }
  const payloads = outboundPayloads(parsed.target, options.text)
  if (payloads.length === 0) {
    return yield* new ChannelError({
      channel: CHANNEL,
      reason: "SendFailed",
      message: "The message is empty",
      retryable: false,
    })
  }
  const params = yield* fetchMqttParams(account)
  yield* Effect.scoped(Effect.gen(function* () {
    const session = yield* connectMqtt(params, { clientId: `${params.clientId}_cli_${randomSuffix()}` })
    for (const payload of payloads) yield* session.publish(params.sendTopic, payload)
  })).pipe(
    Effect.timeoutOrElse({
      duration: PUBLISH_TIMEOUT,
      orElse: () =>
        Effect.fail(
          new ChannelError({
            channel: CHANNEL,
            reason: "Disconnected",
            message: `The broker did not acknowledge the message within ${PUBLISH_TIMEOUT}`,
            retryable: true,
          }),
        ),
    }),
  )
  return {
    accountId: account.accountId,
    target: parsed.target,
    chatId: chatIdOf(parsed.target),
    payloads: payloads.length,
  } satisfies DirectSendResult
})
