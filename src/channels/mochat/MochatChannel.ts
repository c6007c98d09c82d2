/**
 * The Mochat (Claw IM) channel: a Socket.IO client of Mochat with an HTTP fallback, serving the configured
 * sessions (direct and private chats) and panels (group channels). Inbound messages are filtered and, in panels,
 * delayed (ReplyDelay.ts) before they reach the bus; replies go back through `sessions/send` or
 * `groups/panels/send`. A rejected token stops `run` with a non-retryable `ChannelError` (`AuthFailed`) so the
 * supervisor retries slowly, and is logged once. Wire details: shared/protocols/mochat.md.
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Schedule from "effect/Schedule"
import { MessageBus } from "../../bus/MessageBus.ts"
import type { InboundMessage, OutboundMessage } from "../../bus/Messages.ts"
import { type Channel, ChannelError, type ChannelReporter } from "../Channel.ts"
import { chunkText } from "../chunkText.ts"
import { type MochatConfig, wantsAll } from "./MochatConfig.ts"
import { makeMochatConnection } from "./MochatConnection.ts"
import { httpRetrySchedule } from "./MochatFallback.ts"
import { AUTH_REJECTED, makeMochatHttp, type MochatHttpError } from "./MochatHttp.ts"
import { CHANNEL, makeMochatInbound } from "./MochatInbound.ts"
import type { MochatEventName } from "./MochatSocket.ts"
import { makeMochatState } from "./MochatState.ts"
import { makeMochatTargets } from "./MochatTargets.ts"
import { makeReplyDelay } from "./ReplyDelay.ts"

export { CHANNEL } from "./MochatInbound.ts"
/** Longest single Mochat message; longer answers are split on paragraph boundaries. */
export const MAX_MESSAGE_CHARS = 4000
export const ERROR_REPLY = "Sorry, something went wrong while answering. Please try again."
/** Attempts beyond the first for one outbound message. */
export const SEND_RETRIES = 3

const TARGET_PREFIX = /^(mochat|group|channel|panel):/i

/** The session or panel id an outbound `chatId` names (`mochat:`, `group:`, `channel:`, `panel:` accepted). */
export const targetOf = (chatId: string) => {
  let id = chatId.trim()
  while (TARGET_PREFIX.test(id)) id = id.replace(TARGET_PREFIX, "")
  return { id, isSession: id.startsWith("session_") }
}

export class MochatChannel {
  static readonly make = (config: MochatConfig) =>
    Effect.gen(function* () {
      const bus = yield* MessageBus
      const state = yield* makeMochatState()
      const http = yield* makeMochatHttp(config)
      const targets = makeMochatTargets(config, http)
      const sendSchedule = Schedule.max([httpRetrySchedule(config), Schedule.recurs(SEND_RETRIES)])
      let authReported = false
      let coldMarked = false

      const toChannelError = (error: MochatHttpError) =>
        new ChannelError({
          channel: CHANNEL,
          reason: error.authFailed ? "AuthFailed" : "SendFailed",
          message: error.message,
          retryable: error.retryable,
        })

      const send = Effect.fn("MochatChannel.send")(function* (message: OutboundMessage) {
        if (message.kind === "delta") return
        const text = message.kind === "error" ? ERROR_REPLY : message.content
        if (text.trim() === "") return
        const target = targetOf(message.chatId)
        if (target.id === "") {
          return yield* new ChannelError({
            channel: CHANNEL,
            reason: "SendFailed",
            message: `Cannot send to "${message.chatId}": no Mochat session or panel id`,
            retryable: false,
          })
        }
        for (const chunk of chunkText(text, MAX_MESSAGE_CHARS)) {
          const call = target.isSession
            ? http.sendToSession(target.id, chunk)
            : http.sendToPanel(target.id, targets.groupOf(target.id), chunk)
          yield* call.pipe(Effect.retry(sendSchedule), Effect.mapError(toChannelError))
        }
      })

      const run = (reporter: ChannelReporter) =>
        Effect.gen(function* () {
          if (config.clawToken === undefined) {
            return yield* new ChannelError({
              channel: CHANNEL,
              reason: "ConfigInvalid",
              message: "Set channels.mochat.claw_token (the claw_… token from Mochat) to use the Mochat channel",
              retryable: false,
            })
          }
          if (config.agentUserId === "") {
            yield* Effect.logWarning("channels.mochat.agent_user_id is not set: the agent may answer itself")
          }
          const fatal = yield* Deferred.make<never, ChannelError>()
          const onAuthFailure = (error: { readonly message: string }) =>
            Effect.gen(function* () {
              if (!authReported) {
                authReported = true
                yield* Effect.logError(`${AUTH_REJECTED}: check channels.mochat.claw_token (${error.message})`)
                yield* reporter.error(AUTH_REJECTED)
              }
              yield* Deferred.fail(
                fatal,
                new ChannelError({ channel: CHANNEL, reason: "AuthFailed", message: AUTH_REJECTED, retryable: false }),
              )
            })

          const publish = (message: InboundMessage) =>
            reporter.inbound.pipe(Effect.andThen(bus.publishInbound(message)))
          const resyncRequests = yield* Queue.sliding<void>(1)
          const delay = yield* makeReplyDelay(
            { mode: config.replyDelayMode, delayMs: config.replyDelayMs, maxWaitMs: config.replyMaxWaitMs },
            publish,
          )
          const inbound = yield* makeMochatInbound({
            config,
            state,
            targets,
            delay,
            publish,
            adopted: Queue.offer(resyncRequests, undefined).pipe(Effect.asVoid),
          })
          const events = yield* Queue.unbounded<{ readonly name: MochatEventName; readonly payload: unknown }>()
          const connection = yield* makeMochatConnection({
            config,
            http,
            state,
            targets,
            inbound,
            reporter: {
              ...reporter,
              connected: (details) =>
                Effect.sync(() => void (authReported = false)).pipe(Effect.andThen(reporter.connected(details))),
            },
            onAuthFailure,
            onEvent: (name, payload) => void Queue.offerUnsafe(events, { name, payload }),
          })

          const handleEvent = ({ name, payload }: { readonly name: MochatEventName; readonly payload: unknown }) =>
            name === "claw.session.events"
              ? inbound.handleWatch("session", payload, "live")
              : name === "claw.panel.events"
              ? inbound.handleWatch("panel", payload, "live")
              : name === "notify:chat.message.add"
              ? inbound.handlePanelNotify(payload)
              : inbound.handleInbox(payload)

          /** Records what a panel never seen before already holds, so a later poll answers only what is new. */
          const primePanels = Effect.suspend(() =>
            Effect.forEach(
              targets.panelIds().filter((id) => !state.knowsPanel(id)),
              (panelId) =>
                http.panelMessages(panelId, targets.groupOf(panelId)).pipe(
                  Effect.flatMap((messages) => inbound.handlePanelPoll(panelId, messages, "prime")),
                  Effect.catch((error) => Effect.logDebug(`Could not read panel ${panelId}: ${error.message}`)),
                ),
              { discard: true },
            )
          )

          const discover = targets.discover.pipe(
            Effect.tap((found) =>
              Effect.gen(function* () {
                if (!coldMarked && targets.sessionsListed()) {
                  coldMarked = true
                  state.markCold(targets.sessionIds())
                }
                yield* primePanels
                const changed = found.sessions.length + found.panels.length > 0
                if (changed || connection.needsSubscribe()) yield* Queue.offer(resyncRequests, undefined)
              })
            ),
            Effect.catch((error) =>
              error.authFailed
                ? onAuthFailure(error)
                : Effect.logWarning(`Mochat discovery failed: ${error.message}`).pipe(
                  Effect.andThen(reporter.error(error.message)),
                )
            ),
          )

          yield* discover
          if (yield* Deferred.isDone(fatal)) return yield* Deferred.await(fatal)
          if (!coldMarked && !wantsAll(config.sessions)) {
            coldMarked = true
            state.markCold(targets.sessionIds())
          }
          const loop = (what: string, step: Effect.Effect<void>) =>
            Effect.forkScoped(Effect.forever(
              step.pipe(Effect.catchDefect((defect) => Effect.logError(`Mochat ${what} crashed; continuing`, defect))),
            ))
          yield* loop("event handler", Queue.take(events).pipe(Effect.flatMap(handleEvent)))
          yield* loop("re-subscription", Queue.take(resyncRequests).pipe(Effect.andThen(connection.resync)))
          yield* loop("discovery", Effect.sleep(config.refreshIntervalMs).pipe(Effect.andThen(discover)))
          return yield* Effect.raceFirst(connection.run, Deferred.await(fatal))
        }).pipe(
          Effect.scoped,
          Effect.annotateLogs({ channel: CHANNEL }),
        )

      return { id: CHANNEL, name: CHANNEL, run, send } satisfies Channel
    })
}
