/**
 * One MQTT payload from `reciveTopic` to an inbound bus message, in the order of protocols/socket-chat.md: decode
 * (malformed: logged and skipped), drop the bot's own echo, drop QoS 1 redeliveries by `messageId`, apply the media
 * rules, then the access pipeline of src/security (DM policy, pairing, group policy, mention gate).
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type { InboundMessage } from "../../bus/Messages.ts"
import { type AccessOutcome, checkAccess } from "../../security/AccessControl.ts"
import { decodeInboundPayload, inboundText } from "./protocol.ts"
import { CHANNEL, DEFAULT_ACCOUNT, type SocketChatAccount } from "./SocketChatConfig.ts"

/** A messageId seen again within this window is a redelivery. */
export const DUPLICATE_WINDOW_MS = 20 * 60_000
const MAX_REMEMBERED_IDS = 10_000

/** Remembers recent message ids of one account. */
export class SeenMessages {
  readonly #ids = new Map<string, number>()

  /** Records `id`; true when it was already seen within the window. */
  check(id: string, now: number) {
    const previous = this.#ids.get(id)
    if (previous !== undefined && now - previous < DUPLICATE_WINDOW_MS) return true
    this.#ids.delete(id)
    this.#ids.set(id, now)
    for (const [old, at] of this.#ids) {
      if (this.#ids.size <= MAX_REMEMBERED_IDS && now - at < DUPLICATE_WINDOW_MS) break
      this.#ids.delete(old)
    }
    return false
  }
}

export type InboundResult =
  | { readonly _tag: "Skip"; readonly reason: string; readonly malformed?: boolean }
  | {
    readonly _tag: "Denied"
    readonly senderId: string
    readonly outcome: Exclude<AccessOutcome, { readonly _tag: "Admit" }>
  }
  | { readonly _tag: "Accept"; readonly message: InboundMessage }

/** Whether the text mentions the bot by id (`@wxid_robot`). */
export const mentionsBot = (text: string, robotId: string) => robotId !== "" && text.includes(`@${robotId}`)

export const acceptPayload = (
  account: SocketChatAccount,
  robotId: string,
  bytes: Uint8Array,
  seen: SeenMessages,
) =>
  Effect.gen(function* () {
    const decoded = decodeInboundPayload(bytes)
    if (decoded._tag === "Malformed") {
      return { _tag: "Skip", reason: `malformed payload: ${decoded.reason}`, malformed: true } satisfies InboundResult
    }
    const payload = decoded.payload
    if (payload.senderId === payload.robotId || payload.senderId === robotId) {
      return { _tag: "Skip", reason: "the bot's own message" } satisfies InboundResult
    }
    const now = yield* Clock.currentTimeMillis
    if (seen.check(payload.messageId, now)) {
      return { _tag: "Skip", reason: `duplicate messageId "${payload.messageId}"` } satisfies InboundResult
    }
    const body = inboundText(payload)
    if (body === undefined) return { _tag: "Skip", reason: "neither text nor url" } satisfies InboundResult
    const groupId = payload.groupId?.trim() ?? ""
    const isGroup = payload.isGroup === true && groupId !== ""
    const senderName = payload.senderName?.trim() || undefined
    const outcome = yield* checkAccess(account.policy, {
      channel: CHANNEL,
      accountId: account.accountId,
      senderId: payload.senderId,
      ...(senderName !== undefined ? { senderName } : {}),
      isGroup,
      ...(isGroup ? { groupId } : {}),
      mentioned: payload.isGroupMention === true || mentionsBot(payload.content, payload.robotId || robotId),
    })
    if (outcome._tag !== "Admit") {
      return { _tag: "Denied", senderId: payload.senderId, outcome } satisfies InboundResult
    }
    const chatId = isGroup ? `group:${groupId}` : payload.senderId
    const message: InboundMessage = {
      id: crypto.randomUUID(),
      channel: CHANNEL,
      accountId: account.accountId,
      chatId,
      senderId: payload.senderId,
      content: body.text,
      timestamp: now,
      ...(senderName !== undefined ? { senderName } : {}),
      ...(isGroup ? { isGroup: true, groupName: payload.groupName?.trim() || groupId } : {}),
      ...(body.media.length > 0 ? { media: body.media } : {}),
      ...(account.accountId === DEFAULT_ACCOUNT ? {} : { sessionKey: `${CHANNEL}:${account.accountId}:${chatId}` }),
    }
    return { _tag: "Accept", message } satisfies InboundResult
  })
