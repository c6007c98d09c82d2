/**
 * The HTTP fallback, run while the socket is down or a subscription was refused: a long-poll loop on
 * `sessions/watch` per session (from its cursor) and a poll of `groups/panels/messages` per panel every refresh
 * interval. Transient failures back off on `httpRetrySchedule`; a 401 is handed to `onAuthFailure` (the channel
 * stops); a session or panel Mochat says is gone (403/404) stops its own loop only.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schedule from "effect/Schedule"
import type { MochatConfig } from "./MochatConfig.ts"
import type { MochatHttp, MochatHttpError } from "./MochatHttp.ts"
import type { MochatInbound } from "./MochatInbound.ts"
import type { MochatState } from "./MochatState.ts"
import type { MochatTargets } from "./MochatTargets.ts"

/** Retry of a failed HTTP call: `retryDelayMs` doubling up to `socketMaxReconnectDelayMs`, jittered, while it can help. */
export const httpRetrySchedule = (config: MochatConfig) =>
  Schedule.exponential(config.retryDelayMs).pipe(
    (exponential) =>
      Schedule.min([exponential, Schedule.spaced(Math.max(config.retryDelayMs, config.socketMaxReconnectDelayMs))]),
    Schedule.jittered,
    Schedule.setInputType<MochatHttpError>(),
    Schedule.while(({ input }) => input.retryable),
  )

export interface FallbackDeps {
  readonly config: MochatConfig
  readonly http: MochatHttp
  readonly targets: MochatTargets
  readonly state: MochatState
  readonly inbound: MochatInbound
  /** Mochat rejected the token: the channel stops (the supervisor retries slowly). */
  readonly onAuthFailure: (error: { readonly message: string }) => Effect.Effect<void>
}

const gone = (error: MochatHttpError) => error.status === 403 || error.status === 404

export const runFallback = (deps: FallbackDeps): Effect.Effect<void> => {
  const { config, http, targets, state, inbound } = deps
  const retry = httpRetrySchedule(config)

  /** Repeats `step` until Mochat rejects the token or says the target is gone; other failures wait a round. */
  const loop = (what: string, step: Effect.Effect<void, MochatHttpError>) =>
    Effect.gen(function* () {
      while (true) {
        const outcome = yield* step.pipe(
          Effect.tapError((error) =>
            error.retryable ? Effect.logDebug(`${what}: ${error.message}; retrying`) : Effect.void
          ),
          Effect.retry(retry),
          Effect.result,
        )
        if (Result.isSuccess(outcome)) continue
        const error = outcome.failure
        if (error.authFailed) return yield* deps.onAuthFailure(error)
        yield* Effect.logWarning(`${what}: ${error.message}`)
        if (gone(error)) return
        yield* Effect.sleep(config.refreshIntervalMs)
      }
    })

  const watchSession = (sessionId: string) =>
    loop(
      `Watching Mochat session ${sessionId}`,
      Effect.suspend(() => http.watchSession(sessionId, state.cursorOf(sessionId) ?? 0)).pipe(
        Effect.flatMap((payload) => inbound.handleWatch("session", payload)),
      ),
    )

  const pollPanel = (panelId: string) =>
    loop(
      `Polling Mochat panel ${panelId}`,
      Effect.suspend(() => http.panelMessages(panelId, targets.groupOf(panelId))).pipe(
        Effect.flatMap((messages) => inbound.handlePanelPoll(panelId, messages)),
        Effect.andThen(Effect.sleep(config.refreshIntervalMs)),
      ),
    )

  const sessions = targets.sessionIds()
  const panels = targets.panelIds()
  return Effect.logInfo(
    `Mochat HTTP fallback: watching ${sessions.length} session(s), polling ${panels.length} panel(s)`,
  ).pipe(
    Effect.andThen(Effect.all([...sessions.map(watchSession), ...panels.map(pollPanel)], {
      concurrency: "unbounded",
      discard: true,
    })),
  )
}
