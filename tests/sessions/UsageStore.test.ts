/**
 * `UsageStore` over SQLite: per-session, per-day sums and the per-session overview.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { calendarDay } from "../../src/platform/zonedTime.ts"
import { emptyTotals, UsageStore } from "../../src/sessions/UsageStore.ts"
import { Database } from "../../src/storage/Database.ts"
import { assertEquals } from "../support/assert.ts"

const run = <A, E>(effect: Effect.Effect<A, E, UsageStore>) =>
  Effect.runPromise(Effect.provide(effect, UsageStore.layer.pipe(Layer.provide(Database.layerMemory))))

const usage = (promptTokens: number, completionTokens: number) => ({
  promptTokens,
  completionTokens,
  totalTokens: promptTokens + completionTokens,
})

Deno.test("UsageStore sums usage per session and day, and lists sessions most recently used first", async () => {
  const result = await run(Effect.gen(function* () {
    const store = yield* UsageStore
    yield* store.record("a", "2025-03-01", usage(100, 10), 1_000)
    yield* store.record("a", "2025-03-01", usage(50, 5), 2_000)
    yield* store.record("a", "2025-03-02", usage(7, 3), 5_000)
    yield* store.record("b", "2025-03-02", usage(1, 1), 4_000)
    return {
      aDay1: yield* store.totals({ day: "2025-03-01", sessionKey: "a" }),
      day2: yield* store.totals({ day: "2025-03-02" }),
      all: yield* store.totals({}),
      none: yield* store.totals({ sessionKey: "nobody" }),
      sessions: yield* store.sessions("2025-03-02"),
    }
  }))
  assertEquals(result.aDay1, { promptTokens: 150, completionTokens: 15, totalTokens: 165, calls: 2 })
  assertEquals(result.day2, { promptTokens: 8, completionTokens: 4, totalTokens: 12, calls: 2 })
  assertEquals(result.all.totalTokens, 177)
  assertEquals(result.none, emptyTotals)
  assertEquals(result.sessions.map((s) => [s.sessionKey, s.today.totalTokens, s.allTime.totalTokens, s.lastUsedAt]), [
    ["a", 10, 175, 5_000],
    ["b", 2, 2, 4_000],
  ])
})

Deno.test("calendarDay uses the time zone, and UTC for an unknown one", () => {
  const lateEvening = Date.UTC(2025, 2, 1, 23, 30)
  assertEquals(calendarDay(lateEvening, "UTC"), "2025-03-01")
  assertEquals(calendarDay(lateEvening, "Asia/Tokyo"), "2025-03-02")
  assertEquals(calendarDay(lateEvening, "Not/AZone"), "2025-03-01")
})
