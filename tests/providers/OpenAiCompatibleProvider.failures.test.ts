/**
 * `OpenAiCompatibleProvider` when things go wrong, against the fake OpenAI-compatible server: which failures are
 * retried (and how), the messages users see after retries run out, that keys never leak into messages, and that
 * interrupting a chat aborts its HTTP request.
 */
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { parseRetryAfterMs } from "../../src/providers/internal/openAiErrors.ts"
import { LlmProvider, type ProviderError } from "../../src/providers/LlmProvider.ts"
import { startFakeLlm } from "../support/fake_llm.ts"
import {
  chatError,
  configFor,
  fastRetry,
  providerLayer,
  runChat,
  SECRET,
  user,
  withFakeLlm,
} from "../support/llm_provider_harness.ts"

const request = { model: "gpt-4o", messages: [user("Hi")] }

const recordRetries = () => {
  const seen: Array<ProviderError> = []
  return { seen, onRetry: (error: ProviderError) => Effect.sync(() => void seen.push(error)) }
}

Deno.test(
  "OpenAiCompatibleProvider retries a 429 honouring Retry-After",
  withFakeLlm(async (fake) => {
    fake.script({ status: 429, headers: { "retry-after": "1" } }, { text: "Finally." })
    const retries = recordRetries()
    const layer = providerLayer(configFor({ openai: { apiKey: SECRET, apiBase: fake.url } }))
    const started = performance.now()
    const response = await runChat(layer, request, { onRetry: retries.onRetry })
    const elapsed = performance.now() - started
    assertEquals(response.content, "Finally.")
    assertEquals(fake.requests.length, 2)
    assert(elapsed >= 990 && elapsed < 3_000, `waited ${elapsed} ms`)
    assertEquals(retries.seen.map((e) => [e.reason, e.status, e.retryAfterMs, e.retryable]), [
      ["RateLimited", 429, 1000, true],
    ])
  }),
)

Deno.test("OpenAiCompatibleProvider parses Retry-After as seconds, an HTTP date, or retry-after-ms", () => {
  const now = Date.parse("2026-01-01T00:00:00Z")
  assertEquals(parseRetryAfterMs(new Headers({ "retry-after": "7" }), now), 7_000)
  assertEquals(parseRetryAfterMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }), now), 30_000)
  assertEquals(parseRetryAfterMs(new Headers({ "retry-after": "7", "retry-after-ms": "250" }), now), 250)
  assertEquals(parseRetryAfterMs(new Headers({ "retry-after": "soon" }), now), undefined)
  assertEquals(parseRetryAfterMs(new Headers(), now), undefined)
})

Deno.test(
  "OpenAiCompatibleProvider retries a 500 and returns the answer of the next attempt",
  withFakeLlm(async (fake) => {
    fake.script({ status: 500 })
    const retries = recordRetries()
    const layer = providerLayer(configFor({ openai: { apiKey: SECRET, apiBase: fake.url } }))
    const response = await runChat(layer, { model: "gpt-4o", messages: [user("2+2")] }, { onRetry: retries.onRetry })
    assertEquals(response.content, "4")
    assertEquals(fake.requests.length, 2)
    assertEquals(retries.seen.map((e) => [e.reason, e.status]), [["ServerError", 500]])
  }),
)

Deno.test(
  "OpenAiCompatibleProvider gives up on a persistent 503 after maxRetries with a clear message",
  withFakeLlm(async (fake) => {
    fake.setHandler(() => ({ status: 503, body: { error: { message: "Upstream overloaded." } } }))
    const retries = recordRetries()
    const layer = providerLayer(configFor({ openrouter: { apiKey: SECRET, apiBase: fake.url } }))
    const error = await chatError(layer, { model: "anthropic/claude-opus-4-5", messages: [user("Hi")] }, {
      onRetry: retries.onRetry,
    })
    assertEquals(fake.requests.length, fastRetry.maxRetries + 1)
    assertEquals(retries.seen.length, fastRetry.maxRetries)
    assertEquals([error.reason, error.status, error.provider], ["ServerError", 503, "openrouter"])
    assertEquals(
      error.message,
      "The LLM provider OpenRouter is unavailable (HTTP 503) after 3 retries: Upstream overloaded.",
    )
  }),
)

Deno.test(
  "OpenAiCompatibleProvider does not retry a 401 and never puts the API key in the message",
  withFakeLlm(async (fake) => {
    fake.setHandler(() => ({
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${SECRET}. Header was Authorization: Bearer ${SECRET}` } },
    }))
    const layer = providerLayer(configFor({ openai: { apiKey: SECRET, apiBase: fake.url } }))
    const error = await chatError(layer, request)
    assertEquals(fake.requests.length, 1)
    assertEquals([error.reason, error.status, error.retryable], ["Auth", 401, false])
    assert(
      error.message.startsWith("The LLM provider OpenAI rejected the API key from providers.openai.apiKey (HTTP 401)"),
    )
    assert(!error.message.includes(SECRET) && !error.message.includes(SECRET.slice(10)), error.message)
    assert(!JSON.stringify(error).includes(SECRET))
  }),
)

Deno.test(
  "OpenAiCompatibleProvider retries a connection dropped mid-stream and tells the caller to reset partial text",
  withFakeLlm(async (fake) => {
    fake.script({ text: "Partial answer that breaks", dropConnection: true }, { text: "Whole answer." })
    const deltas: Array<string> = []
    const retries = recordRetries()
    const layer = providerLayer(configFor({ openai: { apiKey: SECRET, apiBase: fake.url } }))
    const response = await runChat(layer, request, {
      onTextDelta: (delta) => Effect.sync(() => void deltas.push(delta)),
      onRetry: (error) => Effect.andThen(retries.onRetry(error), Effect.sync(() => void deltas.push("<reset>"))),
    })
    assertEquals(response.content, "Whole answer.")
    assertEquals(deltas, ["Partial ", "<reset>", "Whole ", "answer."])
    assertEquals(retries.seen.map((e) => [e.reason, e.retryable]), [["Network", true]])
  }),
)

Deno.test(
  "OpenAiCompatibleProvider reports a malformed stream as InvalidResponse without retrying",
  withFakeLlm(async (fake) => {
    fake.setHandler(() => ({ text: "never parsed", malformed: true }))
    const layer = providerLayer(configFor({ openai: { apiKey: SECRET, apiBase: fake.url } }))
    const error = await chatError(layer, request)
    assertEquals([error.reason, error.retryable, fake.requests.length], ["InvalidResponse", false, 1])
    assert(error.message.startsWith("The LLM provider OpenAI sent an invalid response: "), error.message)
  }),
)

Deno.test(
  "OpenAiCompatibleProvider times out a stream that stalls longer than requestTimeoutS",
  withFakeLlm(async (fake) => {
    fake.script({ text: "slow answer", stallMs: 10_000 })
    const retry = { ...fastRetry, maxRetries: 0, requestTimeoutS: 1 }
    const layer = providerLayer(configFor({ openai: { apiKey: SECRET, apiBase: fake.url } }, { retry }))
    const error = await chatError(layer, request)
    assertEquals([error.reason, error.retryable], ["Timeout", true])
    assertEquals(error.message, "The LLM provider OpenAI did not answer within 1 s: the response stream went silent")
  }),
)

Deno.test("OpenAiCompatibleProvider reports a refused connection as Network after its retries", async () => {
  const closed = await startFakeLlm()
  await closed.close()
  const retry = { ...fastRetry, maxRetries: 1 }
  const layer = providerLayer(configFor({ openai: { apiKey: SECRET, apiBase: closed.url } }, { retry }))
  const error = await chatError(layer, request)
  assertEquals([error.reason, error.retryable], ["Network", true])
  assert(
    error.message.startsWith(`Cannot reach the LLM provider OpenAI at ${closed.url} after 1 retry: `),
    error.message,
  )
})

Deno.test(
  "OpenAiCompatibleProvider aborts the HTTP request when the chat is interrupted",
  withFakeLlm(async (fake) => {
    fake.script({ text: "This answer stalls forever", stallMs: 30_000 })
    const layer = providerLayer(configFor({ openai: { apiKey: SECRET, apiBase: fake.url } }))
    const firstDelta = Promise.withResolvers<void>()
    const interruptedAfterMs = await Effect.runPromise(
      Effect.gen(function* () {
        const llm = yield* LlmProvider
        const fiber = yield* Effect.forkChild(llm.chat(request, { onTextDelta: () => Effect.sync(firstDelta.resolve) }))
        yield* Effect.promise(() => firstDelta.promise)
        const started = performance.now()
        yield* Fiber.interrupt(fiber)
        return performance.now() - started
      }).pipe(Effect.provide(layer)),
    )
    assert(interruptedAfterMs < 1_000, `interrupt took ${interruptedAfterMs} ms`)
    for (let i = 0; i < 50 && fake.requests[0]?.aborted !== true; i++) await new Promise((r) => setTimeout(r, 10))
    assertEquals(fake.requests[0]?.aborted, true)
  }),
)
