/**
 * `UsageMeter` on a `TestClock`: daily budgets per session and across sessions refuse new turns until local
 * midnight, and usage lands on the calendar day of the configured time zone.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { TestClock } from "effect/testing"
import { UsageMeter } from "../../../src/agent/usage/UsageMeter.ts"
import { AppConfig } from "../../../src/config/AppConfig.ts"
import { decodeConfigValue } from "../../../src/config/decodeConfig.ts"
import { Environment } from "../../../src/platform/Environment.ts"
import { UsageStore } from "../../../src/sessions/UsageStore.ts"
import { Database } from "../../../src/storage/Database.ts"
import { assert, assertEquals, assertStringIncludes } from "../../support/assert.ts"

const layerWith = (defaults: Record<string, unknown>) => {
  const decoded = decodeConfigValue({ agents: { defaults } })
  if (decoded._tag !== "Ok") throw new Error(decoded.problems.join("; "))
  return UsageMeter.layer.pipe(
    Layer.provideMerge(UsageStore.layer),
    Layer.provide(Database.layerMemory),
    Layer.provide(Layer.mergeAll(
      AppConfig.layerTest({ home: "/tmp/claw-usage-test", config: decoded.config }),
      Environment.layerTest({}),
    )),
    Layer.provideMerge(TestClock.layer()),
  )
}

const tokens = (totalTokens: number) => ({ promptTokens: totalTokens - 1, completionTokens: 1, totalTokens })

Deno.test("UsageMeter refuses a session's new turns once its daily budget is spent, until the next local day", async () => {
  const program = Effect.gen(function* () {
    const meter = yield* UsageMeter
    yield* TestClock.setTime(Date.UTC(2025, 2, 1, 10, 0))
    assertEquals(yield* meter.refusal("a"), undefined)
    yield* meter.record("a", tokens(600))
    assertEquals(yield* meter.refusal("a"), undefined, "below the budget")
    yield* meter.record("a", tokens(500))
    const refusal = yield* meter.refusal("a")
    assert(refusal !== undefined)
    assertStringIncludes(refusal, "1,100 of 1,000 tokens spent today in this chat")
    assertStringIncludes(refusal, "agents.defaults.sessionDailyTokenBudget")
    assertEquals(yield* meter.refusal("b"), undefined, "other sessions have their own budget")
    yield* TestClock.adjust("13 hours")
    assert((yield* meter.refusal("a")) !== undefined, "still the same day at 23:00")
    yield* TestClock.adjust("1 hour")
    assertEquals(yield* meter.refusal("a"), undefined, "a new day starts with a fresh budget")
  })
  await Effect.runPromise(Effect.provide(program, layerWith({ sessionDailyTokenBudget: 1_000, timezone: "UTC" })))
})

Deno.test("UsageMeter applies the global daily budget across sessions on the configured time zone's day", async () => {
  const program = Effect.gen(function* () {
    const meter = yield* UsageMeter
    const store = yield* UsageStore
    yield* TestClock.setTime(Date.UTC(2025, 2, 1, 14, 0))
    assertEquals(yield* meter.today, "2025-03-01")
    yield* meter.record("a", tokens(300))
    yield* meter.record("b", tokens(300))
    const refusal = yield* meter.refusal("c")
    assert(refusal !== undefined)
    assertStringIncludes(refusal, "600 of 500 tokens spent today.")
    assertStringIncludes(refusal, "agents.defaults.dailyTokenBudget")
    assertStringIncludes(refusal, "Asia/Tokyo")
    yield* TestClock.adjust("10 hours")
    assertEquals(yield* meter.today, "2025-03-02", "midnight in Tokyo is 15:00 UTC")
    assertEquals(yield* meter.refusal("c"), undefined)
    assertEquals((yield* store.totals({ day: "2025-03-01" })).calls, 2)
  })
  await Effect.runPromise(Effect.provide(program, layerWith({ dailyTokenBudget: 500, timezone: "Asia/Tokyo" })))
})

Deno.test("UsageMeter never refuses without budgets and records every response", async () => {
  const program = Effect.gen(function* () {
    const meter = yield* UsageMeter
    const store = yield* UsageStore
    for (let i = 0; i < 3; i++) yield* meter.record("a", tokens(1_000_000))
    assertEquals(yield* meter.refusal("a"), undefined)
    assertEquals(yield* store.totals({ sessionKey: "a" }), {
      promptTokens: 2_999_997,
      completionTokens: 3,
      totalTokens: 3_000_000,
      calls: 3,
    })
  })
  await Effect.runPromise(Effect.provide(program, layerWith({})))
})
