/**
 * From Mochat payloads to inbound messages on the bus, whatever route they came by (socket events, subscribe
 * acks, HTTP long-polls and panel polls): advance and save session cursors, treat a cold session's first batch as
 * a watermark, drop the agent's own messages, duplicates and authors outside `allowFrom`, apply the panel mention
 * rules, and send panel messages through the reply delay. Handlers run one at a time, so cursors never race.
 * Malformed payloads are logged and skipped.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Semaphore from "effect/Semaphore"
import type { InboundMessage } from "../../bus/Messages.ts"
import { type MochatConfig, requiresMention } from "./MochatConfig.ts"
import {
  decodeEvent,
  decodeInboxMessage,
  decodePanelMessage,
  decodeWatchPayload,
  isMentioned,
  type MochatMessage,
  seqOf,
} from "./MochatEvents.ts"
import type { MochatState, TargetKind } from "./MochatState.ts"
import type { MochatTargets } from "./MochatTargets.ts"
import type { ReplyDelay } from "./ReplyDelay.ts"

export const CHANNEL = "mochat"

export interface InboundDeps {
  readonly config: MochatConfig
  readonly state: MochatState
  readonly targets: MochatTargets
  readonly delay: ReplyDelay
  readonly publish: (message: InboundMessage) => Effect.Effect<void>
  /** A session or panel not known before showed up (subscriptions should follow). */
  readonly adopted: Effect.Effect<void>
}

const excerpt = (input: unknown) => {
  const text = JSON.stringify(input) ?? String(input)
  return text.length > 160 ? `${text.slice(0, 160)}…` : text
}

const skip = (what: string, input: unknown) =>
  Effect.logWarning(`Skipping a malformed Mochat ${what}: ${excerpt(input)}`)

export const makeMochatInbound = Effect.fn("MochatInbound.make")(function* (deps: InboundDeps) {
  const { config, state, targets } = deps
  const lock = yield* Semaphore.make(1)
  const serialized = <A, E>(effect: Effect.Effect<A, E>) =>
    lock.withPermits(1)(effect).pipe(Effect.ensuring(state.save))

  const allowed = (author: string) =>
    config.allowFrom.length === 0 || config.allowFrom.includes(author) || config.allowFrom.includes("*")

  const accept = Effect.fnUntraced(function* (kind: TargetKind, targetId: string, message: MochatMessage) {
    if (config.agentUserId !== "" && message.author === config.agentUserId) return
    if (!allowed(message.author)) {
      return yield* Effect.logDebug(`Ignoring Mochat message from "${message.author}" (not in allowFrom)`)
    }
    if (message.messageId !== undefined && state.remember(kind, targetId, message.messageId)) return
    const mentioned = isMentioned(message, config.agentUserId)
    if (kind === "panel") {
      targets.learnGroup(targetId, message.groupId)
      if (!mentioned && requiresMention(config, targetId, message.groupId ?? targets.groupOf(targetId))) return
    }
    const panelName = kind === "panel" ? targets.nameOf(targetId) : undefined
    const inbound: InboundMessage = {
      id: message.messageId ?? crypto.randomUUID(),
      channel: CHANNEL,
      chatId: targetId,
      senderId: message.author,
      content: message.content === "" ? "[empty message]" : message.content,
      timestamp: yield* Clock.currentTimeMillis,
      ...(message.authorName !== undefined ? { senderName: message.authorName } : {}),
      ...(kind === "panel" ? { isGroup: true } : {}),
      ...(panelName !== undefined ? { groupName: panelName } : {}),
    }
    if (kind === "session") return yield* deps.publish(inbound)
    yield* deps.delay.offer(targetId, { message: inbound, mentioned })
  })

  const adopt = (kind: TargetKind, id: string) => targets.adopt(kind, id) ? deps.adopted : Effect.void

  /**
   * A watch payload: `live` from `claw.session.events` / `claw.panel.events`, otherwise a subscribe ack entry or a
   * watch reply (backlog). A cold session's first backlog batch is only its watermark.
   */
  const handleWatch = (kind: TargetKind, input: unknown, source: "live" | "backlog" = "backlog") =>
    serialized(Effect.gen(function* () {
      const payload = decodeWatchPayload(input)
      if (payload === undefined) return yield* skip(`${kind} watch payload`, input)
      const targetId = payload.sessionId
      if (kind === "session" ? !targets.servesSession(targetId) : !targets.servesPanel(targetId)) return
      yield* adopt(kind, targetId)
      const events = (payload.events ?? []).map(decodeEvent)
      if (kind === "session") {
        const previous = state.cursorOf(targetId)
        const cold = source === "backlog" && state.takeCold(targetId)
        for (const value of [payload.cursor, ...events.map(seqOf)]) {
          if (typeof value === "number") state.advance(targetId, value)
        }
        if (cold) {
          for (const event of events) {
            if (event._tag === "Message" && event.message.messageId !== undefined) {
              state.remember("session", targetId, event.message.messageId)
            }
          }
          return yield* Effect.logDebug(`Mochat session ${targetId}: recorded the cursor, not answering its backlog`)
        }
        for (const event of events) {
          if (event._tag === "Malformed") yield* skip(`event in session ${targetId}`, event.input)
          else if (event._tag === "Message") {
            const seq = event.message.seq
            if (seq !== undefined && previous !== undefined && seq <= previous) continue
            yield* accept("session", targetId, event.message)
          }
        }
        return
      }
      for (const event of events) {
        if (event._tag === "Malformed") yield* skip(`event in panel ${targetId}`, event.input)
        else if (event._tag === "Message") yield* accept("panel", targetId, event.message)
      }
    }))

  /** `notify:chat.message.add`: a panel message (one without a groupId is a direct message, served elsewhere). */
  const handlePanelNotify = (input: unknown) =>
    serialized(Effect.gen(function* () {
      const decoded = decodePanelMessage(input)
      if (decoded === undefined || decoded.panelId === undefined) return yield* skip("chat.message.add", input)
      if (decoded.message.groupId === undefined || !targets.servesPanel(decoded.panelId)) return
      yield* adopt("panel", decoded.panelId)
      yield* accept("panel", decoded.panelId, decoded.message)
    }))

  /** `notify:chat.inbox.append`: a direct message, found by its converseId. */
  const handleInbox = (input: unknown) =>
    serialized(Effect.gen(function* () {
      const decoded = decodeInboxMessage(input)
      if (decoded._tag === "Malformed") return yield* skip("chat.inbox.append", input)
      if (decoded._tag === "Ignored") return
      const sessionId = yield* targets.sessionOfConverse(decoded.converseId).pipe(
        Effect.catch((error) => Effect.logWarning(error.message).pipe(Effect.as(undefined))),
      )
      if (sessionId === undefined || !targets.servesSession(sessionId)) return
      yield* adopt("session", sessionId)
      yield* accept("session", sessionId, decoded.message)
    }))

  /** A panel poll (newest first); a `prime` poll, or one of a panel never seen before, only records what is there. */
  const handlePanelPoll = (panelId: string, messages: ReadonlyArray<unknown>, mode: "prime" | "poll" = "poll") =>
    serialized(Effect.gen(function* () {
      const oldestFirst = [...messages].reverse()
      if (mode === "prime" || !state.knowsPanel(panelId)) {
        state.remember("panel", panelId, "(watermark)")
        for (const raw of oldestFirst) {
          const id = decodePanelMessage(raw)?.message.messageId
          if (id !== undefined) state.remember("panel", panelId, id)
        }
        return
      }
      for (const raw of oldestFirst) {
        const entry = decodePanelMessage(raw)
        if (entry === undefined) yield* skip(`message in panel ${panelId}`, raw)
        else yield* accept("panel", panelId, entry.message)
      }
    }))

  return { handleWatch, handlePanelNotify, handleInbox, handlePanelPoll }
})

export type MochatInbound = Effect.Success<ReturnType<typeof makeMochatInbound>>
