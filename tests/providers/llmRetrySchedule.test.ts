/**
 * `llmRetrySchedule` under the TestClock: how many attempts it allows, that it stops on non-retryable errors, and
 * that a Retry-After longer than the backoff is waited for (up to the 5-minute cap).
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/testing/TestClock"
import { ProviderError } from "../../src/providers/LlmProvider.ts"
import { llmRetrySchedule, MAX_RETRY_AFTER_MS, retryDelayMs } from "../../src/providers/llmRetrySchedule.ts"

const failure = (retryable: boolean, retryAfterMs?: number) =>
  new ProviderError({
    reason: retryable ? "ServerError" : "Auth",
    provider: "openai",
    message: "failed",
    retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })

/** Starts a retried always-failing effect and returns a probe of how many attempts ran so far. */
const failingWithRetries = (error: ProviderError, settings: Parameters<typeof llmRetrySchedule>[0]) =>
  Effect.gen(function* () {
    let attempts = 0
    const fiber = yield* Effect.suspend(() => {
      attempts++
      return Effect.fail(error)
    }).pipe(Effect.retry(llmRetrySchedule(settings)), Effect.forkChild)
    return { fiber, attempts: () => attempts }
  })

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect.pipe(Effect.provide(TestClock.layer())))

Deno.test("llmRetrySchedule retries a retryable error maxRetries times, then fails with it", async () => {
  const result = await run(Effect.gen(function* () {
    const probe = yield* failingWithRetries(failure(true), { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000 })
    yield* TestClock.adjust("1 minute")
    const exit = yield* Fiber.await(probe.fiber)
    return { attempts: probe.attempts(), failed: exit._tag === "Failure" }
  }))
  assertEquals(result, { attempts: 4, failed: true })
})

Deno.test("llmRetrySchedule never retries a non-retryable error", async () => {
  const result = await run(Effect.gen(function* () {
    const probe = yield* failingWithRetries(failure(false), { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000 })
    yield* TestClock.adjust("1 minute")
    yield* Fiber.await(probe.fiber)
    return probe.attempts()
  }))
  assertEquals(result, 1)
})

Deno.test("llmRetrySchedule with maxRetries 0 makes a single attempt", async () => {
  const result = await run(Effect.gen(function* () {
    const probe = yield* failingWithRetries(failure(true), { maxRetries: 0, baseDelayMs: 100, maxDelayMs: 1_000 })
    yield* TestClock.adjust("1 minute")
    yield* Fiber.await(probe.fiber)
    return probe.attempts()
  }))
  assertEquals(result, 1)
})

Deno.test("llmRetrySchedule waits for a Retry-After longer than the capped backoff", async () => {
  const result = await run(Effect.gen(function* () {
    const probe = yield* failingWithRetries(failure(true, 30_000), { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 50 })
    yield* TestClock.adjust("29 seconds")
    const before = probe.attempts()
    yield* TestClock.adjust("2 seconds")
    return { before, after: probe.attempts() }
  }))
  assertEquals(result, { before: 1, after: 2 })
})

Deno.test("llmRetrySchedule caps a huge Retry-After at five minutes", async () => {
  const result = await run(Effect.gen(function* () {
    const probe = yield* failingWithRetries(failure(true, 86_400_000), {
      maxRetries: 1,
      baseDelayMs: 10,
      maxDelayMs: 50,
    })
    yield* TestClock.adjust("299 seconds")
    const before = probe.attempts()
    yield* TestClock.adjust("2 seconds")
    return { before, after: probe.attempts() }
  }))
  assertEquals(result, { before: 1, after: 2 })
})

Deno.test("llmRetrySchedule delay is the capped backoff or the capped Retry-After, whichever is longer", () => {
  assertEquals(retryDelayMs(80_000, 30_000, undefined), 30_000)
  assertEquals(retryDelayMs(1_200, 30_000, undefined), 1_200)
  assertEquals(retryDelayMs(1_200, 30_000, 45_000), 45_000)
  assertEquals(retryDelayMs(1_200, 30_000, 500), 1_200)
  assertEquals(retryDelayMs(1_200, 30_000, 10 * MAX_RETRY_AFTER_MS), MAX_RETRY_AFTER_MS)
  assertEquals(retryDelayMs(1_200, 30_000, -5), 1_200)
})
