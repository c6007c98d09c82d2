/**
 * The messages that cross the bus between channels and the agent. Both carry ids so a durable bus can replace
 * the in-memory one without changing either side.
 */
import * as Schema from "effect/Schema"

export const MediaRef = Schema.Struct({
  /** An http(s) URL or a path inside the workspace. */
  url: Schema.String,
  mimeType: Schema.optionalKey(Schema.String),
  description: Schema.optionalKey(Schema.String),
})
export type MediaRef = typeof MediaRef.Type

export const InboundMessage = Schema.Struct({
  /** Unique per message (channels pass the platform's id when there is one). */
  id: Schema.String,
  channel: Schema.String,
  /** For multi-account channels. */
  accountId: Schema.optionalKey(Schema.String),
  /** Where replies go: a user id for DMs, a group/panel id for groups. */
  chatId: Schema.String,
  senderId: Schema.String,
  senderName: Schema.optionalKey(Schema.String),
  content: Schema.String,
  isGroup: Schema.optionalKey(Schema.Boolean),
  groupName: Schema.optionalKey(Schema.String),
  /** The content already names its speakers (`name: text` lines merged from several messages). */
  speakersNamed: Schema.optionalKey(Schema.Boolean),
  /** Overrides the default session key `"<channel>:<chatId>"`. */
  sessionKey: Schema.optionalKey(Schema.String),
  replyTo: Schema.optionalKey(Schema.Struct({ id: Schema.optionalKey(Schema.String), body: Schema.String })),
  media: Schema.optionalKey(Schema.Array(MediaRef)),
  /** Opaque data from the client; shown to the model as data, never used for routing or identity. */
  data: Schema.optionalKey(Schema.Record(Schema.String, Schema.Unknown)),
  /** Epoch milliseconds. */
  timestamp: Schema.Number,
})
export type InboundMessage = typeof InboundMessage.Type

/**
 * - `delta`: streamed text of the turn answering `replyTo`; `segment` counts assistant messages within the turn
 *   (text restarts after each tool round).
 * - `reply`: the final answer of that turn (may be empty when the answer already went out via the message tool).
 * - `error`: the turn failed; `content` is safe to show.
 * - `push`: a message not answering a turn in progress (message tool, cron, heartbeat, subagent).
 */
export const OutboundKind = Schema.Literals(["delta", "reply", "error", "push"])
export type OutboundKind = typeof OutboundKind.Type

export const OutboundMessage = Schema.Struct({
  id: Schema.String,
  channel: Schema.String,
  accountId: Schema.optionalKey(Schema.String),
  chatId: Schema.String,
  kind: OutboundKind,
  content: Schema.String,
  /** The inbound message id this belongs to. */
  replyTo: Schema.optionalKey(Schema.String),
  segment: Schema.optionalKey(Schema.Number),
  media: Schema.optionalKey(Schema.Array(MediaRef)),
  /** Ids to mention in a group reply. */
  mentions: Schema.optionalKey(Schema.Array(Schema.String)),
})
export type OutboundMessage = typeof OutboundMessage.Type

export const sessionKeyOf = (message: InboundMessage) => message.sessionKey ?? `${message.channel}:${message.chatId}`
