/**
 * The chat a user talked to the agent in most recently: where the heartbeat delivers. It watches the outbound
 * bus for the `reply`/`error` that ends every turn of a user's message (turns claw started itself — cron jobs, the
 * heartbeat — and the internal pseudo-channels do not count), and keeps the chat in the `StateStore`
 * (`heartbeat`/`lastChat`) so it survives restarts.
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Schema from "effect/Schema"
import { isScheduledMessageId } from "../agent/runScheduledTurn.ts"
import { MessageBus } from "../bus/MessageBus.ts"
import type { OutboundMessage } from "../bus/Messages.ts"
import { StateStore } from "../storage/StateStore.ts"

const NAMESPACE = "heartbeat"
const KEY = "lastChat"
const INTERNAL_CHANNELS = new Set(["cli", "cron", "heartbeat"])

export const ChatRef = Schema.Struct({
  channel: Schema.String,
  chatId: Schema.String,
  accountId: Schema.optionalKey(Schema.String),
  /** Epoch ms of the turn's end. */
  at: Schema.Number,
})
export type ChatRef = typeof ChatRef.Type

const decodeChatRef = Schema.decodeUnknownOption(ChatRef)

/** Whether an outbound message ends a turn that a user started. */
export const endsUserTurn = (message: OutboundMessage) =>
  (message.kind === "reply" || message.kind === "error") &&
  message.replyTo !== undefined &&
  !isScheduledMessageId(message.replyTo) &&
  !INTERNAL_CHANNELS.has(message.channel)

export class LastChat extends Context.Service<LastChat, {
  readonly get: Effect.Effect<Option.Option<ChatRef>>
}>()("claw/heartbeat/LastChat") {
  /** Tracks the bus for as long as the layer lives. */
  static readonly layer = Layer.effect(
    LastChat,
    Effect.gen(function* () {
      const state = yield* StateStore
      const bus = yield* MessageBus
      const subscription = yield* bus.subscribeOutbound
      const remember = (message: OutboundMessage) =>
        Effect.gen(function* () {
          const chat: ChatRef = {
            channel: message.channel,
            chatId: message.chatId,
            ...(message.accountId !== undefined ? { accountId: message.accountId } : {}),
            at: yield* Clock.currentTimeMillis,
          }
          yield* state.set(NAMESPACE, KEY, chat)
        }).pipe(Effect.catch((error) => Effect.logWarning(`Could not remember the last chat: ${error.message}`)))
      yield* Effect.forkScoped(
        Effect.forever(
          PubSub.take(subscription).pipe(
            Effect.flatMap((message) => endsUserTurn(message) ? remember(message) : Effect.void),
          ),
        ),
      )
      return LastChat.of({
        get: state.get(NAMESPACE, KEY).pipe(
          Effect.map(Option.flatMap(decodeChatRef)),
          Effect.catch((error) =>
            Effect.logWarning(`Could not read the last chat: ${error.message}`).pipe(Effect.as(Option.none()))
          ),
          Effect.withSpan("LastChat.get"),
        ),
      })
    }),
  )
}
