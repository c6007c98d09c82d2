/**
 * The `UsageStore` port: tokens spent per session and per calendar day, for `claw status`, `claw sessions list` and
 * the daily token budgets. One row per (session, day) that every provider response adds to, so the table stays
 * small however long the assistant runs.
 *
 * Contract: `record` adds one response's usage to its session and day and counts the call; the totals read back are
 * sums over the rows that match (zero when none do). Days are `YYYY-MM-DD` strings chosen by the caller
 * (`calendarDay`). Failures are `UsageError`s; the store never throws.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type { Usage } from "../providers/LlmProvider.ts"
import { Database, type DatabaseError } from "../storage/Database.ts"

export interface UsageTotals {
  readonly promptTokens: number
  readonly completionTokens: number
  readonly totalTokens: number
  /** Provider responses counted. */
  readonly calls: number
}

export interface SessionUsage {
  readonly sessionKey: string
  readonly today: UsageTotals
  readonly allTime: UsageTotals
  /** Epoch milliseconds of the last recorded response. */
  readonly lastUsedAt: number
}

export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", {
  operation: Schema.String,
  message: Schema.String,
}) {}

export const emptyTotals: UsageTotals = { promptTokens: 0, completionTokens: 0, totalTokens: 0, calls: 0 }

export class UsageStore extends Context.Service<UsageStore, {
  readonly record: (sessionKey: string, day: string, usage: Usage, at: number) => Effect.Effect<void, UsageError>
  /** Totals of one day (or all days), of one session (or all sessions). */
  readonly totals: (filter: { readonly day?: string; readonly sessionKey?: string }) => Effect.Effect<
    UsageTotals,
    UsageError
  >
  /** Every session that spent tokens, with `day`'s and all-time totals, most recently used first. */
  readonly sessions: (day: string) => Effect.Effect<ReadonlyArray<SessionUsage>, UsageError>
}>()("claw/sessions/UsageStore") {
  /** Kept in the `token_usage` table of the `Database`, created on first use. */
  static readonly layer: Layer.Layer<UsageStore, DatabaseError, Database> = Layer.effect(
    UsageStore,
    Effect.gen(function* () {
      const db = yield* Database
      yield* db.use("create token usage table", (sql) => sql.exec(schema))
      const toUsageError = (error: DatabaseError) =>
        new UsageError({ operation: error.operation, message: error.message })
      return UsageStore.of({
        record: Effect.fn("UsageStore.record")((sessionKey: string, day: string, usage: Usage, at: number) =>
          db.use(`record token usage of session "${sessionKey}"`, (sql) =>
            sql.run(
              upsert,
              sessionKey,
              day,
              usage.promptTokens,
              usage.completionTokens,
              usage.totalTokens,
              at,
            )).pipe(Effect.asVoid, Effect.mapError(toUsageError))
        ),
        totals: Effect.fn("UsageStore.totals")((filter: { readonly day?: string; readonly sessionKey?: string }) =>
          db.use("read token usage", (sql) =>
            decodeTotals(
              sql.get(
                `SELECT ${sums} FROM token_usage WHERE (? IS NULL OR day = ?) AND (? IS NULL OR session_key = ?)`,
                filter.day ?? null,
                filter.day ?? null,
                filter.sessionKey ?? null,
                filter.sessionKey ?? null,
              ),
            )).pipe(Effect.mapError(toUsageError))
        ),
        sessions: Effect.fn("UsageStore.sessions")((day: string) =>
          db.use("read token usage per session", (sql) =>
            sql.all(perSession, day, day, day, day).map((row) => {
              const decoded = decodeSessionRow(row)
              return {
                sessionKey: decoded.session_key,
                lastUsedAt: decoded.last_used_at,
                today: totalsOf(
                  decoded.today_prompt,
                  decoded.today_completion,
                  decoded.today_total,
                  decoded.today_calls,
                ),
                allTime: totalsOf(decoded.prompt, decoded.completion, decoded.total, decoded.calls),
              }
            })).pipe(Effect.mapError(toUsageError))
        ),
      })
    }),
  )
}

const schema = `
CREATE TABLE IF NOT EXISTS token_usage (
  session_key TEXT NOT NULL,
  day TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  total_tokens INTEGER NOT NULL DEFAULT 0,
  calls INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (session_key, day)
);
CREATE INDEX IF NOT EXISTS token_usage_by_day ON token_usage (day);
`

const upsert = `
INSERT INTO token_usage (session_key, day, prompt_tokens, completion_tokens, total_tokens, calls, updated_at)
VALUES (?, ?, ?, ?, ?, 1, ?)
ON CONFLICT (session_key, day) DO UPDATE SET
  prompt_tokens = prompt_tokens + excluded.prompt_tokens,
  completion_tokens = completion_tokens + excluded.completion_tokens,
  total_tokens = total_tokens + excluded.total_tokens,
  calls = calls + 1,
  updated_at = MAX(updated_at, excluded.updated_at)`

const sums = `COALESCE(SUM(prompt_tokens), 0) AS prompt, COALESCE(SUM(completion_tokens), 0) AS completion,
  COALESCE(SUM(total_tokens), 0) AS total, COALESCE(SUM(calls), 0) AS calls`

const perSession = `
SELECT session_key, ${sums}, MAX(updated_at) AS last_used_at,
  COALESCE(SUM(CASE WHEN day = ? THEN prompt_tokens ELSE 0 END), 0) AS today_prompt,
  COALESCE(SUM(CASE WHEN day = ? THEN completion_tokens ELSE 0 END), 0) AS today_completion,
  COALESCE(SUM(CASE WHEN day = ? THEN total_tokens ELSE 0 END), 0) AS today_total,
  COALESCE(SUM(CASE WHEN day = ? THEN calls ELSE 0 END), 0) AS today_calls
FROM token_usage GROUP BY session_key ORDER BY last_used_at DESC, session_key`

const TotalsRow = Schema.Struct({
  prompt: Schema.Number,
  completion: Schema.Number,
  total: Schema.Number,
  calls: Schema.Number,
})

const SessionRow = Schema.Struct({
  ...TotalsRow.fields,
  session_key: Schema.String,
  last_used_at: Schema.Number,
  today_prompt: Schema.Number,
  today_completion: Schema.Number,
  today_total: Schema.Number,
  today_calls: Schema.Number,
})

const totalsOf = (promptTokens: number, completionTokens: number, totalTokens: number, calls: number) => ({
  promptTokens,
  completionTokens,
  totalTokens,
  calls,
})

const decodeTotalsRow = Schema.decodeUnknownSync(TotalsRow)
const decodeSessionRow = Schema.decodeUnknownSync(SessionRow)

const decodeTotals = (row: unknown): UsageTotals => {
  const { prompt, completion, total, calls } = decodeTotalsRow(row)
  return totalsOf(prompt, completion, total, calls)
}
