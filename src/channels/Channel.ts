/**
 * The `Channel` port: one connection to a chat platform (or one account of a multi-account platform).
 *
 * Contract (checked by `tests/channels/Channel.contract.ts` for every adapter):
 * - `run` connects and serves until the connection is lost, then fails with a `ChannelError`; it never succeeds.
 *   It reports its state through the `ChannelReporter` it is given (connected, disconnected, inbound, outbound)
 *   and publishes every accepted inbound message on the `MessageBus`. Interrupting `run` closes the connection.
 * - `send` delivers one outbound message (`delta`, `reply`, `error`, `push`) to `message.chatId`. It may be
 *   called at any time; an adapter that is not connected either queues the message or fails with a retryable
 *   `ChannelError`. A malformed or unroutable message fails with `reason: "SendFailed"`, never a defect.
 * - Bad input from the platform (malformed frames, poisoned payloads) is logged and skipped; it never fails `run`.
 * - Secrets never appear in errors or logs.
 */
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { OutboundMessage } from "../bus/Messages.ts"

export class ChannelError extends Schema.TaggedError<ChannelError>()("ChannelError", {
  channel: Schema.String,
  reason: Schema.Literals(["Disconnected", "AuthFailed", "BindFailed", "ConfigInvalid", "SendFailed", "ProtocolError"]),
  message: Schema.String,
  /** Worth retrying soon; otherwise the supervisor retries slowly (bad credentials, port in use). */
  retryable: Schema.Boolean,
}) {}

/** What a channel tells the supervisor about itself; feeds `claw channels status`. */
export interface ChannelReporter {
  readonly connected: (details?: Readonly<Record<string, unknown>>) => Effect.Effect<void>
  readonly disconnected: (error?: string) => Effect.Effect<void>
  readonly inbound: Effect.Effect<void>
  readonly outbound: Effect.Effect<void>
  /** Adapter-specific facts (mode, subscribed counts, connected clients). */
  readonly details: (details: Readonly<Record<string, unknown>>) => Effect.Effect<void>
  readonly error: (message: string) => Effect.Effect<void>
}

export interface Channel {
  /** Unique id: the channel name, plus `:<accountId>` for extra accounts (`socket-chat:work`). */
  readonly id: string
  /** The name outbound messages use in `channel` (`websocket`, `mochat`, `socket-chat`). */
  readonly name: string
  readonly accountId?: string
  readonly run: (reporter: ChannelReporter) => Effect.Effect<never, ChannelError>
  readonly send: (message: OutboundMessage) => Effect.Effect<void, ChannelError>
}
