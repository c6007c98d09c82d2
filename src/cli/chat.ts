/**
 * Talking to the agent from the terminal: send one message through the dispatcher (the same path channel
 * messages take) and wait for the turn's reply, printing messages the agent pushes to this chat meanwhile.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as PubSub from "effect/PubSub"
import { TurnDispatcher } from "../agent/TurnDispatcher.ts"
import { MessageBus } from "../bus/MessageBus.ts"
import type { OutboundMessage } from "../bus/Messages.ts"

export interface CliSession {
  readonly key: string
  readonly channel: string
  readonly chatId: string
}

export const parseSessionKey = (key: string): CliSession => {
  const colon = key.indexOf(":")
  return colon > 0
    ? { key, channel: key.slice(0, colon), chatId: key.slice(colon + 1) }
    : { key: `cli:${key}`, channel: "cli", chatId: key }
}

/** Sends `content` and resolves with the turn's `reply` or `error` message. */
export const ask = (
  session: CliSession,
  content: string,
  onPush: (message: OutboundMessage) => Effect.Effect<void>,
  id: string = crypto.randomUUID(),
) =>
  Effect.scoped(Effect.gen(function* () {
    const bus = yield* MessageBus
    const dispatcher = yield* TurnDispatcher
    const subscription = yield* bus.subscribeOutbound
    yield* dispatcher.dispatch({
      id,
      channel: session.channel,
      chatId: session.chatId,
      senderId: "user",
      content,
      sessionKey: session.key,
      timestamp: yield* Clock.currentTimeMillis,
    })
    while (true) {
      const message = yield* PubSub.take(subscription)
      if (message.replyTo === id && (message.kind === "reply" || message.kind === "error")) return message
      if (message.kind === "push" && message.channel === session.channel && message.chatId === session.chatId) {
        yield* onPush(message)
      }
    }
  }))

/**
 * While an interactive chat runs: turns the agent starts by itself (a subagent reporting back, a cron job delivering
 * to this chat) are run, and their answers printed, except the replies to `asked` messages, which `ask` prints.
 */
export const backgroundReplies = (
  session: CliSession,
  asked: ReadonlySet<string>,
  show: (message: OutboundMessage) => Effect.Effect<void>,
) =>
  Effect.gen(function* () {
    const bus = yield* MessageBus
    const dispatcher = yield* TurnDispatcher
    const subscription = yield* bus.subscribeOutbound
    yield* Effect.forkScoped(dispatcher.run)
    yield* Effect.forkScoped(Effect.forever(
      PubSub.take(subscription).pipe(Effect.flatMap((message) =>
        (message.kind === "reply" || message.kind === "error") && message.channel === session.channel &&
          message.chatId === session.chatId && message.content !== "" &&
          (message.replyTo === undefined || !asked.has(message.replyTo))
          ? show(message)
          : Effect.void
      )),
    ))
  })
