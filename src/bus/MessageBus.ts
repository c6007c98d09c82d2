/**
 * The in-memory message bus: channels publish inbound messages, the agent dispatcher takes them; the agent
 * publishes outbound messages, every subscriber (the channel router, a waiting CLI) sees each one.
 *
 * Contract: inbound messages are taken once, in publish order; outbound messages are broadcast to the
 * subscribers present when they are published. `publishInbound` waits while the inbound queue is full, so a
 * flooding channel slows down instead of exhausting memory.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import type { InboundMessage, OutboundMessage } from "./Messages.ts"

export class MessageBus extends Context.Service<MessageBus, {
  readonly publishInbound: (message: InboundMessage) => Effect.Effect<void>
  readonly takeInbound: Effect.Effect<InboundMessage>
  readonly publishOutbound: (message: OutboundMessage) => Effect.Effect<void>
  /** A subscription to outbound messages, closed with the scope. */
  readonly subscribeOutbound: Effect.Effect<PubSub.Subscription<OutboundMessage>, never, Scope.Scope>
}>()("claw/bus/MessageBus") {
  static readonly layer = Layer.effect(
    MessageBus,
    Effect.gen(function* () {
      const inbound = yield* Queue.bounded<InboundMessage>(1024)
      const outbound = yield* PubSub.unbounded<OutboundMessage>()
      return MessageBus.of({
        publishInbound: (message) => Queue.offer(inbound, message).pipe(Effect.asVoid),
        takeInbound: Queue.take(inbound),
        publishOutbound: (message) => PubSub.publish(outbound, message).pipe(Effect.asVoid),
        subscribeOutbound: PubSub.subscribe(outbound),
      })
    }),
  )
}
