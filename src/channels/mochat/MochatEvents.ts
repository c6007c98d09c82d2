/**
 * Decoding of what Mochat pushes (Socket.IO events, HTTP watch and poll replies) into one shape, `MochatMessage`,
 * plus mention detection. Everything is decoded with Schema here, at the edge; a payload that does not decode is
 * reported as `undefined` (the caller logs and skips it) and never throws.
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

const OptString = Schema.optionalKey(Schema.NullOr(Schema.String))

const AuthorInfo = Schema.Struct({ userId: OptString, nickname: OptString, email: OptString, agentId: OptString })

const MessagePayload = Schema.Struct({
  messageId: OptString,
  _id: OptString,
  author: OptString,
  authorInfo: Schema.optionalKey(Schema.NullOr(AuthorInfo)),
  content: Schema.optionalKey(Schema.Unknown),
  meta: Schema.optionalKey(Schema.NullOr(Schema.Record(Schema.String, Schema.Unknown))),
  groupId: OptString,
  converseId: OptString,
  panelId: OptString,
})
type MessagePayload = typeof MessagePayload.Type

export const WatchEvent = Schema.Struct({
  seq: Schema.optionalKey(Schema.NullOr(Schema.Number)),
  type: Schema.String,
  payload: Schema.optionalKey(Schema.NullOr(MessagePayload)),
})

export const WatchPayload = Schema.Struct({
  sessionId: Schema.String,
  cursor: Schema.optionalKey(Schema.NullOr(Schema.Number)),
  events: Schema.optionalKey(Schema.NullOr(Schema.Array(Schema.Unknown))),
})
export type WatchPayload = typeof WatchPayload.Type

const InboxAppend = Schema.Struct({
  type: Schema.String,
  _id: OptString,
  payload: Schema.Struct({
    converseId: OptString,
    groupId: OptString,
    messageId: OptString,
    messageAuthor: OptString,
    messagePlainContent: OptString,
    messageSnippet: OptString,
  }),
})

/** One chat message, whatever route it came by. */
export interface MochatMessage {
  readonly messageId: string | undefined
  readonly author: string
  readonly authorName: string | undefined
  /** The text (non-string content as JSON text). */
  readonly content: string
  readonly rawContent: unknown
  readonly meta: Readonly<Record<string, unknown>> | undefined
  readonly groupId: string | undefined
  readonly seq: number | undefined
}

const nonEmpty = (value: string | null | undefined) =>
  value === null || value === undefined || value === "" ? undefined : value

export const contentText = (content: unknown): string => {
  if (content === undefined || content === null) return ""
  if (typeof content === "string") return content.trim()
  const text = JSON.stringify(content)
  return text === undefined ? String(content) : text
}

const toMessage = (payload: MessagePayload, seq: number | undefined): MochatMessage | undefined => {
  const author = nonEmpty(payload.author)
  if (author === undefined) return undefined
  const info = payload.authorInfo ?? undefined
  return {
    messageId: nonEmpty(payload.messageId) ?? nonEmpty(payload._id),
    author,
    authorName: nonEmpty(info?.nickname) ?? nonEmpty(info?.email),
    content: contentText(payload.content),
    rawContent: payload.content,
    meta: payload.meta ?? undefined,
    groupId: nonEmpty(payload.groupId),
    seq,
  }
}

const decode = <S extends Schema.Top & { readonly DecodingServices: never }>(schema: S) => {
  const run = Schema.decodeUnknownOption(schema)
  return (input: unknown): S["Type"] | undefined => Option.getOrUndefined(run(input)) as S["Type"] | undefined
}

export const decodeWatchPayload = decode(WatchPayload)
const decodeWatchEvent = decode(WatchEvent)
const decodeMessagePayload = decode(MessagePayload)
const decodeInboxAppend = decode(InboxAppend)

export type DecodedEvent =
  | { readonly _tag: "Message"; readonly message: MochatMessage }
  | { readonly _tag: "Other"; readonly seq: number | undefined }
  | { readonly _tag: "Malformed"; readonly input: unknown }

/** One event of a watch payload: only `message.add` is a new message; other types only advance the cursor. */
export const decodeEvent = (input: unknown): DecodedEvent => {
  const event = decodeWatchEvent(input)
  if (event === undefined) return { _tag: "Malformed", input }
  const seq = event.seq ?? undefined
  if (event.type !== "message.add") return { _tag: "Other", seq }
  const message = event.payload ? toMessage(event.payload, seq) : undefined
  return message === undefined ? { _tag: "Malformed", input } : { _tag: "Message", message }
}

export const seqOf = (event: DecodedEvent) =>
  event._tag === "Message" ? event.message.seq : event._tag === "Other" ? event.seq : undefined

/** `notify:chat.message.add` and the panel poll's messages: a panel message (panel id in converseId/panelId). */
export const decodePanelMessage = (input: unknown) => {
  const payload = decodeMessagePayload(input)
  if (payload === undefined) return undefined
  const message = toMessage(payload, undefined)
  const panelId = nonEmpty(payload.converseId) ?? nonEmpty(payload.panelId)
  return message === undefined ? undefined : { panelId, message }
}

/** `notify:chat.inbox.append` of type `message` outside groups: a direct message, addressed by converseId. */
export const decodeInboxMessage = (input: unknown) => {
  const append = decodeInboxAppend(input)
  if (append === undefined) return { _tag: "Malformed" } as const
  const detail = append.payload
  const converseId = nonEmpty(detail.converseId)
  const author = nonEmpty(detail.messageAuthor)
  if (append.type !== "message" || nonEmpty(detail.groupId) !== undefined) return { _tag: "Ignored" } as const
  if (converseId === undefined || author === undefined) return { _tag: "Malformed" } as const
  const content = nonEmpty(detail.messagePlainContent) ?? nonEmpty(detail.messageSnippet) ?? ""
  const message: MochatMessage = {
    messageId: nonEmpty(detail.messageId) ?? nonEmpty(append._id),
    author,
    authorName: undefined,
    content: content.trim(),
    rawContent: content,
    meta: { source: "notify:chat.inbox.append", converseId },
    groupId: undefined,
    seq: undefined,
  }
  return { _tag: "Message", converseId, message } as const
}

const MENTION_FIELDS = ["mentions", "mentionIds", "mentionedUserIds", "mentionedUsers"] as const

const mentionIds = (value: unknown): ReadonlyArray<string> => {
  if (!Array.isArray(value)) return []
  return value.flatMap((item) => {
    if (typeof item === "string") return [item]
    if (typeof item !== "object" || item === null) return []
    const record = item as Record<string, unknown>
    return [record.id, record.userId, record._id].filter((id): id is string => typeof id === "string")
  })
}

/** Mentioned: meta flags, the agent's id in a meta id list, or `<@id>` / `@id` in the text. */
export const isMentioned = (message: MochatMessage, agentUserId: string) => {
  const meta = message.meta
  if (meta?.mentioned === true || meta?.wasMentioned === true) return true
  if (agentUserId === "") return false
  if (meta !== undefined && MENTION_FIELDS.some((field) => mentionIds(meta[field]).includes(agentUserId))) return true
  return typeof message.rawContent === "string" &&
    (message.rawContent.includes(`<@${agentUserId}>`) || message.rawContent.includes(`@${agentUserId}`))
}
