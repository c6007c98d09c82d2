/**
 * Token accounting for the agent: every provider response's usage is added to its session's and the day's totals,
 * and the optional daily budgets (`agents.defaults.dailyTokenBudget` across all sessions,
 * `agents.defaults.sessionDailyTokenBudget` per session; 0 = no limit) are checked before a turn calls the model.
 * Days are calendar days in `agents.defaults.timezone` (default: the system's), so a budget resets at local
 * midnight. Accounting never breaks a turn: a storage failure is logged and the turn goes on.
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { AppConfig } from "../../config/AppConfig.ts"
import { Environment } from "../../platform/Environment.ts"
import type { Usage } from "../../providers/LlmProvider.ts"
import { calendarDay } from "../../platform/zonedTime.ts"
import { UsageStore } from "../../sessions/UsageStore.ts"

const tokens = (n: number) => n.toLocaleString("en-US")

export const budgetMessage = (scope: "global" | "session", used: number, budget: number, timeZone: string) =>
  `Daily token budget used up: ${tokens(used)} of ${tokens(budget)} tokens spent today` +
  `${scope === "session" ? " in this chat" : ""}. New requests resume after midnight (${timeZone}); ` +
  `raise agents.defaults.${scope === "session" ? "sessionDailyTokenBudget" : "dailyTokenBudget"} to continue now.`

export class UsageMeter extends Context.Service<UsageMeter, {
  /** Adds one provider response to the session's and today's totals; never fails. */
  readonly record: (sessionKey: string, usage: Usage) => Effect.Effect<void>
  /** The message to end a new turn of `sessionKey` with when a daily budget is used up; undefined otherwise. */
  readonly refusal: (sessionKey: string) => Effect.Effect<string | undefined>
  /** Today's calendar day (`YYYY-MM-DD`) in the accounting time zone. */
  readonly today: Effect.Effect<string>
  readonly timeZone: string
}>()("claw/agent/usage/UsageMeter") {
  static readonly layer = Layer.effect(
    UsageMeter,
    Effect.gen(function* () {
      const { config } = yield* AppConfig
      const env = yield* Environment
      const store = yield* UsageStore
      const defaults = config.agents.defaults
      const timeZone = defaults.timezone ?? env.timeZone
      const today = Clock.currentTimeMillis.pipe(Effect.map((now) => calendarDay(now, timeZone)))

      const record = Effect.fn("UsageMeter.record")(
        function* (sessionKey: string, usage: Usage) {
          const now = yield* Clock.currentTimeMillis
          yield* store.record(sessionKey, calendarDay(now, timeZone), usage, now)
        },
        Effect.catch((error) => Effect.logWarning(`Could not record token usage: ${error.message}`)),
      )

      const refusal = Effect.fn("UsageMeter.refusal")(
        function* (sessionKey: string) {
          if (defaults.dailyTokenBudget === 0 && defaults.sessionDailyTokenBudget === 0) return undefined
          const day = yield* today
          if (defaults.sessionDailyTokenBudget > 0) {
            const used = (yield* store.totals({ day, sessionKey })).totalTokens
            if (used >= defaults.sessionDailyTokenBudget) {
              return budgetMessage("session", used, defaults.sessionDailyTokenBudget, timeZone)
            }
          }
          if (defaults.dailyTokenBudget > 0) {
            const used = (yield* store.totals({ day })).totalTokens
            if (used >= defaults.dailyTokenBudget) {
              return budgetMessage("global", used, defaults.dailyTokenBudget, timeZone)
            }
          }
          return undefined
        },
        Effect.catch((error) =>
          Effect.logWarning(`Could not check the token budget: ${error.message}`).pipe(Effect.as(undefined))
        ),
      )

      return UsageMeter.of({ record, refusal, today, timeZone })
    }),
  )
}
