/**
 * Turning one client frame into an inbound message: parse and validate it (answering with the plugin's exact
 * error strings), drop duplicates before any typing frame, apply `allowFrom`, and start the turn's typing
 * indicator. `customData` travels as data only; it can never change the session, the sender or the reply target.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import type { InboundMessage, MediaRef } from "../../bus/Messages.ts"
import type { Connection } from "./Connection.ts"
import { errorFrame, FORMAT_ERROR, PARSE_ERROR, parseFrame, processingError, typingFrame } from "./protocol.ts"
import type { WebSocketConfig } from "./WebSocketConfig.ts"

/** Typing frames repeat this often while a turn runs, for at most `TYPING_MAX_MS`. */
export const TYPING_INTERVAL_MS = 6_000
export const TYPING_MAX_MS = 120_000
/** A messageId seen again from the same sender within this window is a duplicate. */
export const DUPLICATE_WINDOW_MS = 20 * 60_000
const MAX_REMEMBERED_IDS = 50_000

export interface TurnState {
  readonly connection: Connection
  readonly messageId: string
  segment: number
  text: string
  typing: Fiber.Fiber<unknown, unknown> | undefined
  /** The agent already pushed a message to this client during the turn (message tool). */
  pushed: boolean
}

const seen = new WeakMap<WebSocketConfig, Map<string, number>>()

const isDuplicate = (config: WebSocketConfig, key: string, now: number) => {
  let ids = seen.get(config)
  if (ids === undefined) seen.set(config, ids = new Map())
  const previous = ids.get(key)
  if (previous !== undefined && now - previous < DUPLICATE_WINDOW_MS) return true
  ids.delete(key)
  ids.set(key, now)
  if (ids.size > MAX_REMEMBERED_IDS) {
    for (const [old, at] of ids) {
      if (ids.size <= MAX_REMEMBERED_IDS && now - at < DUPLICATE_WINDOW_MS) break
      ids.delete(old)
    }
  }
  return false
}

const mediaOf = (
  frame: {
    mediaPath?: string
    mediaType?: string
    mediaPaths?: ReadonlyArray<string>
    mediaTypes?: ReadonlyArray<string>
  },
) => {
  const media: Array<MediaRef> = []
  if (frame.mediaPath !== undefined) {
    media.push({ url: frame.mediaPath, ...(frame.mediaType !== undefined ? { mimeType: frame.mediaType } : {}) })
  }
  frame.mediaPaths?.forEach((url, i) => {
    const mimeType = frame.mediaTypes?.[i]
    media.push({ url, ...(mimeType !== undefined ? { mimeType } : {}) })
  })
  return media
}

export const acceptFrame = (
  config: WebSocketConfig,
  connection: Connection,
  data: string | ArrayBuffer,
  turns: Map<string, TurnState>,
) =>
  Effect.gen(function* () {
    const parsed = typeof data === "string" ? parseFrame(data) : { _tag: "ParseError" as const }
    if (parsed._tag === "ParseError") {
      connection.send(errorFrame(undefined, PARSE_ERROR))
      return undefined
    }
    if (parsed._tag === "FormatError") {
      connection.send(errorFrame(parsed.messageId, FORMAT_ERROR))
      return undefined
    }
    const frame = parsed.frame
    const identity = connection.identity
    const senderId = identity.authenticatedId ?? frame.senderId ?? identity.senderId
    const senderName = identity.authenticatedName ?? frame.senderName ?? identity.senderName
    const messageId = frame.messageId ?? crypto.randomUUID()
    const now = yield* Clock.currentTimeMillis
    if (frame.messageId !== undefined && isDuplicate(config, `${senderId}\u0000${frame.messageId}`, now)) {
      connection.send(errorFrame(messageId, processingError(`duplicate messageId "${messageId}"`)))
      return undefined
    }
    if (config.allowFrom.length > 0 && !config.allowFrom.includes(senderId) && !config.allowFrom.includes("*")) {
      connection.send(errorFrame(messageId, processingError("sender is not allowed to use this assistant")))
      return undefined
    }
    const isGroup = frame.chatType === "group" && frame.groupId !== undefined && frame.groupId !== ""
    if (isGroup) connection.groups.add(frame.groupId!)
    connection.senders.add(senderId)
    const media = mediaOf(frame)
    const id = crypto.randomUUID()
    const message: InboundMessage = {
      id,
      channel: "websocket",
      chatId: isGroup ? `group:${frame.groupId}` : senderId,
      senderId,
      content: frame.content,
      timestamp: now,
      ...(senderName !== undefined ? { senderName } : {}),
      ...(isGroup ? { isGroup: true, groupName: frame.groupSubject ?? frame.groupId! } : {}),
      ...(frame.replyToBody !== undefined
        ? { replyTo: { body: frame.replyToBody, ...(frame.replyToMessageId ? { id: frame.replyToMessageId } : {}) } }
        : {}),
      ...(media.length > 0 ? { media } : {}),
      ...(frame.customData !== undefined ? { data: frame.customData } : {}),
    }
    const turn: TurnState = { connection, messageId, segment: 0, text: "", typing: undefined, pushed: false }
    turns.set(id, turn)
    connection.send(typingFrame())
    const typingLoop = Effect.gen(function* () {
      for (let waited = TYPING_INTERVAL_MS; waited <= TYPING_MAX_MS; waited += TYPING_INTERVAL_MS) {
        yield* Effect.sleep(TYPING_INTERVAL_MS)
        if (!connection.send(typingFrame())) return
      }
    })
    return { message, turn, typingLoop }
  })
