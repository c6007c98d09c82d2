/**
 * The openclaw-websocket wire protocol: the one client frame (`chat.send`), the server frames, and the exact
 * error strings clients match on.
 */
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"

export const PARSE_ERROR = "Failed to parse message"
export const FORMAT_ERROR = "Invalid message format. Expected: { type: 'chat.send', content: '...' }"
export const CONNECTED_TEXT = "Connected to WebSocket chat server"
export const TOKEN_REQUIRED = "Token required. Connect with ?token=YOUR_TOKEN"
export const processingError = (reason: string) => `Failed to process message: ${reason}`
export const authFailed = (code: string | number) => `Authentication failed: ${code}`

/** Close codes. */
export const CLOSE_AUTH = 4401
export const CLOSE_POLICY = 1008
export const CLOSE_TOO_BIG = 1009

export const ChatSend = Schema.Struct({
  type: Schema.Literal("chat.send"),
  content: Schema.String.pipe(Schema.check(Schema.isMinLength(1))),
  messageId: Schema.optionalKey(Schema.String),
  senderId: Schema.optionalKey(Schema.String),
  senderName: Schema.optionalKey(Schema.String),
  chatType: Schema.optionalKey(Schema.Literals(["direct", "group"])),
  groupId: Schema.optionalKey(Schema.String),
  groupSubject: Schema.optionalKey(Schema.String),
  replyToMessageId: Schema.optionalKey(Schema.String),
  replyToBody: Schema.optionalKey(Schema.String),
  mediaPath: Schema.optionalKey(Schema.String),
  mediaType: Schema.optionalKey(Schema.String),
  mediaPaths: Schema.optionalKey(Schema.Array(Schema.String)),
  mediaTypes: Schema.optionalKey(Schema.Array(Schema.String)),
  customData: Schema.optionalKey(Schema.Record(Schema.String, Schema.Unknown)),
})
export type ChatSend = typeof ChatSend.Type

const decodeChatSend = Schema.decodeUnknownExit(ChatSend)

export type ParsedFrame =
  | { readonly _tag: "Send"; readonly frame: ChatSend }
  | { readonly _tag: "ParseError" }
  | { readonly _tag: "FormatError"; readonly messageId?: string }

export const parseFrame = (text: string): ParsedFrame => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { _tag: "ParseError" }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { _tag: "ParseError" }
  const decoded = decodeChatSend(value)
  if (Exit.isSuccess(decoded)) {
    return decoded.value.content.trim() === "" ? { _tag: "FormatError" } : { _tag: "Send", frame: decoded.value }
  }
  const messageId = (value as { messageId?: unknown }).messageId
  return typeof messageId === "string" ? { _tag: "FormatError", messageId } : { _tag: "FormatError" }
}

export const typingFrame = () => JSON.stringify({ type: "chat.typing" })
export const streamFrame = (messageId: string, content: string) =>
  JSON.stringify({ type: "chat.stream", messageId, content, done: false })
export const responseFrame = (messageId: string | undefined, content: string) =>
  JSON.stringify(
    messageId === undefined
      ? { type: "chat.response", content, done: true }
      : { type: "chat.response", messageId, content, done: true },
  )
export const errorFrame = (messageId: string | undefined, error: string) =>
  JSON.stringify(messageId === undefined ? { type: "chat.error", error } : { type: "chat.error", messageId, error })
export const connectedFrame = () => JSON.stringify({ type: "chat.response", content: CONNECTED_TEXT })
