/**
 * The socket-chat wire format of protocols/socket-chat.md: the inbound JSON on `reciveTopic` (decoded with Schema;
 * `content`, `robotId`, `senderId`, `messageId` must be strings), the seed's media rules, and the outbound payloads
 * on `sendTopic` (`type` 1 = text, 2 = image by URL), long texts chunked outside code blocks.
 */
import type * as Cause from "effect/Cause"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import type { MediaRef } from "../../bus/Messages.ts"
import { chunkText } from "../chunkText.ts"
import type { Target } from "./target.ts"

/** Payloads larger than this are dropped unread (generous: a base64 image may ride in `url`). */
export const MAX_INBOUND_BYTES = 2 * 1024 * 1024
/** Longest text of one outbound message. */
export const MAX_TEXT_CHARS = 4096

const Id = Schema.String.pipe(Schema.check(Schema.isNonEmpty()))

export const InboundPayload = Schema.Struct({
  content: Schema.String,
  robotId: Schema.String,
  senderId: Id,
  messageId: Id,
  senderName: Schema.optionalKey(Schema.NullOr(Schema.String)),
  isGroup: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
  groupId: Schema.optionalKey(Schema.NullOr(Schema.String)),
  groupName: Schema.optionalKey(Schema.NullOr(Schema.String)),
  isGroupMention: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
  timestamp: Schema.optionalKey(Schema.NullOr(Schema.Union([Schema.Number, Schema.String]))),
  type: Schema.optionalKey(Schema.NullOr(Schema.String)),
  url: Schema.optionalKey(Schema.NullOr(Schema.String)),
})
export type InboundPayload = typeof InboundPayload.Type

const decodeInbound = Schema.decodeUnknownExit(Schema.fromJsonString(InboundPayload))

export type DecodedInbound = { readonly _tag: "Ok"; readonly payload: InboundPayload } | {
  readonly _tag: "Malformed"
  readonly reason: string
}

/** Decodes one MQTT payload; anything unusable is `Malformed` with a one-line reason (never the payload itself). */
export const decodeInboundPayload = (bytes: Uint8Array): DecodedInbound => {
  if (bytes.byteLength > MAX_INBOUND_BYTES) {
    return { _tag: "Malformed", reason: `payload of ${bytes.byteLength} bytes exceeds ${MAX_INBOUND_BYTES}` }
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes)
  const exit = decodeInbound(text)
  if (Exit.isSuccess(exit)) return { _tag: "Ok", payload: exit.value }
  return { _tag: "Malformed", reason: schemaProblem(exit.cause) }
}

/** The first line of a decoding failure, short enough for a log line. */
export const schemaProblem = (cause: Cause.Cause<unknown>) => {
  const error = cause.reasons.find((reason) => reason._tag === "Fail")?.error
  const text = error instanceof Error ? error.message : String(cause)
  const line = text.split("\n").map((l) => l.trim()).filter((l) => l !== "").join("; ")
  return line.length > 200 ? `${line.slice(0, 197)}...` : line
}

const HTTP_URL = /^https?:\/\/\S+$/i
const DATA_URL = /data:[\w.+/-]*(?:;[\w=.-]+)*;base64,[A-Za-z0-9+/=]*/gi
const LONG_BASE64 = /[A-Za-z0-9+/]{200,}={0,2}/g
export const BASE64_OMITTED = "[base64 data omitted]"

/**
 * The seed's media rules: the model gets `content` (without any base64 data); an http(s) `url` is passed as media;
 * any other url (a `data:…;base64,` or bare base64 string) is never passed on; with a url but no text the text is
 * `<media:TYPE>`. Returns undefined when there is neither text nor url.
 */
export const inboundText = (
  payload: InboundPayload,
): { readonly text: string; readonly media: ReadonlyArray<MediaRef> } | undefined => {
  const url = payload.url?.trim() ?? ""
  const httpUrl = HTTP_URL.test(url)
  let content = payload.content.replace(DATA_URL, BASE64_OMITTED).replace(LONG_BASE64, BASE64_OMITTED)
  if (url !== "" && !httpUrl && url.length >= 16) content = content.split(url).join(BASE64_OMITTED)
  content = content.trim()
  if (content === "" && url === "") return undefined
  const type = payload.type?.trim() || "file"
  return {
    text: content !== "" ? content : `<media:${type}>`,
    media: httpUrl ? [{ url, description: type }] : [],
  }
}

export type OutboundItem = { readonly type: 1; readonly content: string } | { readonly type: 2; readonly url: string }

/** The payloads for one outbound message: one per text chunk, images after the text, mentions on the first. */
export const outboundPayloads = (
  target: Target,
  text: string,
  imageUrls: ReadonlyArray<string> = [],
  extraMentions: ReadonlyArray<string> = [],
): ReadonlyArray<string> => {
  const batches: Array<Array<OutboundItem>> = (text.trim() === "" ? [] : chunkText(text, MAX_TEXT_CHARS)).map((
    content,
  ) => [{ type: 1, content }])
  const images: Array<OutboundItem> = imageUrls.map((url) => ({ type: 2, url }))
  if (images.length > 0) {
    if (batches.length === 0) batches.push(images)
    else batches[batches.length - 1]!.push(...images)
  }
  const mentionIds = target.kind === "group" ? [...new Set([...target.mentionIds, ...extraMentions])] : []
  return batches.map((messages, i) =>
    JSON.stringify(
      target.kind === "direct" ? { isGroup: false, contactId: target.contactId, messages } : {
        isGroup: true,
        groupId: target.groupId,
        ...(i === 0 && mentionIds.length > 0 ? { mentionIds } : {}),
        messages,
      },
    )
  )
}

export const isHttpUrl = (url: string) => HTTP_URL.test(url.trim())
