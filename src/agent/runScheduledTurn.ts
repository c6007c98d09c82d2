/**
 * Runs a message that claw generated itself (a cron job, the heartbeat) as an agent turn, through the same
 * dispatcher channel messages take, and waits for the turn's `reply` or `error`. The dispatcher publishes that
 * answer on the bus addressed to the message's channel and chat, so a real chat receives it as a push; internal
 * pseudo-channels ("cron", "heartbeat") are ignored by the channel router and the answer is only returned.
 *
 * Ids of generated messages start with their origin (`cron-…`, `heartbeat-…`) so observers of the bus can tell
 * them from a user's messages.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as PubSub from "effect/PubSub"
import { MessageBus } from "../bus/MessageBus.ts"
import type { InboundMessage } from "../bus/Messages.ts"
import { TurnDispatcher } from "./TurnDispatcher.ts"

/** Message-id prefixes of turns claw starts on its own; replies to them are not user activity. */
export const SCHEDULED_ORIGINS = ["cron", "heartbeat"] as const
export type ScheduledOrigin = typeof SCHEDULED_ORIGINS[number]

export const isScheduledMessageId = (id: string | undefined) =>
  id !== undefined && SCHEDULED_ORIGINS.some((origin) => id.startsWith(`${origin}-`))

export interface ScheduledTurnRequest {
  readonly origin: ScheduledOrigin
  readonly content: string
  readonly sessionKey: string
  /** Where the answer goes. */
  readonly channel: string
  readonly chatId: string
  readonly accountId?: string
}

export interface ScheduledTurnOutcome {
  readonly ok: boolean
  /** The answer, or the error shown to the user. */
  readonly content: string
}

/** Dispatches the turn and waits for its answer (a crash or `/stop` also ends with an `error`). */
export const runScheduledTurn = Effect.fn("runScheduledTurn")(function* (request: ScheduledTurnRequest) {
  const bus = yield* MessageBus
  const dispatcher = yield* TurnDispatcher
  const subscription = yield* bus.subscribeOutbound
  const message: InboundMessage = {
    id: `${request.origin}-${crypto.randomUUID()}`,
    channel: request.channel,
    chatId: request.chatId,
    senderId: request.origin,
    content: request.content,
    sessionKey: request.sessionKey,
    timestamp: yield* Clock.currentTimeMillis,
    ...(request.accountId !== undefined ? { accountId: request.accountId } : {}),
  }
  yield* dispatcher.dispatch(message)
  while (true) {
    const outbound = yield* PubSub.take(subscription)
    if (outbound.replyTo !== message.id) continue
    if (outbound.kind === "reply") return { ok: true, content: outbound.content } satisfies ScheduledTurnOutcome
    if (outbound.kind === "error") return { ok: false, content: outbound.content } satisfies ScheduledTurnOutcome
  }
}, Effect.scoped)
