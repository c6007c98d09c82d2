/**
 * `claw sessions list`: every session with its message count, last activity and tokens (today and all time), most
 * recent first. Also the token totals `claw status` prints, read without creating a database that is not there.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import { formatStamp } from "../../platform/zonedTime.ts"
import { UsageMeter } from "../../agent/usage/UsageMeter.ts"
import { AppConfig } from "../../config/AppConfig.ts"
import { SessionStore } from "../../sessions/SessionStore.ts"
import { emptyTotals, UsageStore, type UsageTotals } from "../../sessions/UsageStore.ts"
import { Database } from "../../storage/Database.ts"
import { storageLayer } from "../layers.ts"
import { runCommand } from "../runCommand.ts"

const n = (value: number) => value.toLocaleString("en-US")

const describeTotals = (totals: UsageTotals) =>
  `${n(totals.totalTokens)} tokens (${n(totals.promptTokens)} prompt, ${n(totals.completionTokens)} completion; ` +
  `${n(totals.calls)} model call${totals.calls === 1 ? "" : "s"})`

/** `Tokens today` / `Tokens total` lines for `claw status`; an absent database means nothing was spent yet. */
export const tokenStatusLines = Effect.gen(function* () {
  const app = yield* AppConfig
  const fs = yield* FileSystem.FileSystem
  const exists = yield* fs.exists(app.databasePath).pipe(Effect.orElseSucceed(() => false))
  const totals = !exists ? { today: emptyTotals, allTime: emptyTotals } : yield* Effect.gen(function* () {
    const store = yield* UsageStore
    const meter = yield* UsageMeter
    const day = yield* meter.today
    return { today: yield* store.totals({ day }), allTime: yield* store.totals({}) }
  }).pipe(
    Effect.provide(UsageMeter.layer.pipe(
      Layer.provideMerge(UsageStore.layer),
      Layer.provide(Database.layerFile(app.databasePath)),
    )),
    Effect.orElseSucceed(() => ({ today: emptyTotals, allTime: emptyTotals })),
  )
  return [`Tokens today: ${describeTotals(totals.today)}`, `Tokens total: ${describeTotals(totals.allTime)}`]
})

export const list = () =>
  runCommand(
    { defaultLevel: "Warn", layer: UsageMeter.layer.pipe(Layer.provideMerge(storageLayer)) },
    Effect.gen(function* () {
      const sessions = yield* SessionStore
      const usage = yield* UsageStore
      const meter = yield* UsageMeter
      const day = yield* meter.today
      const spent = new Map((yield* usage.sessions(day)).map((entry) => [entry.sessionKey, entry]))
      const rows = (yield* sessions.list).map((info) => {
        const tokens = spent.get(info.key)
        spent.delete(info.key)
        return {
          key: info.key,
          messages: info.messageCount,
          last: Math.max(info.updatedAt, tokens?.lastUsedAt ?? 0),
          today: tokens?.today.totalTokens ?? 0,
          total: tokens?.allTime.totalTokens ?? 0,
        }
      })
      for (const tokens of spent.values()) {
        const { sessionKey: key, lastUsedAt: last, today, allTime } = tokens
        rows.push({ key, messages: 0, last, today: today.totalTokens, total: allTime.totalTokens })
      }
      if (rows.length === 0) return yield* Console.log("No sessions yet.")
      rows.sort((a, b) => b.last - a.last)
      const width = Math.max(7, ...rows.map((row) => row.key.length))
      const lines = [`${"SESSION".padEnd(width)}  MESSAGES  LAST ACTIVITY     TOKENS TODAY  TOKENS TOTAL`]
      for (const row of rows) {
        lines.push(
          `${row.key.padEnd(width)}  ${String(row.messages).padStart(8)}  ${formatStamp(row.last, meter.timeZone)}  ` +
            `${n(row.today).padStart(12)}  ${n(row.total).padStart(12)}`,
        )
      }
      yield* Console.log(lines.join("\n"))
    }),
  )
