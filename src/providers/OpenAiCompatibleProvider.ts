/**
 * The `LlmProvider` adapter for every provider in the registry (and custom/vLLM servers): they all speak OpenAI's
 * Chat Completions, so one adapter over the `openai` SDK serves them. Each request resolves its provider from the
 * model name, always streams, retries transient failures on `llmRetrySchedule` (the SDK's own retries are off),
 * and aborts the HTTP request when its fiber is interrupted.
 */
import type OpenAI from "openai"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import { AppConfig } from "../config/AppConfig.ts"
import { Environment } from "../platform/Environment.ts"
import { type ErrorContext, exhausted, makeError, toProviderError } from "./internal/openAiErrors.ts"
import { makeAccumulator, toRequestBody } from "./internal/openAiWire.ts"
import { type ChatOptions, type ChatRequest, type ChatResponse, LlmProvider, ProviderError } from "./LlmProvider.ts"
import { llmRetrySchedule } from "./llmRetrySchedule.ts"
import { providerProblem } from "./advice.ts"
import { type ResolvedProvider, resolveProvider } from "./resolveProvider.ts"

interface Target {
  readonly resolved: ResolvedProvider
  readonly client: OpenAI
  readonly context: ErrorContext
  readonly sdk: typeof OpenAI
}

const configError = (provider: string, reason: "MissingKey" | "UnknownProvider", message: string) =>
  Effect.fail(new ProviderError({ reason, provider, message, retryable: false }))

const make = Effect.gen(function* () {
  const app = yield* AppConfig
  const env = yield* Environment
  const defaults = app.config.agents.defaults
  const { retry } = defaults
  const timeoutMs = retry.requestTimeoutS * 1000
  const clients = new Map<string, OpenAI>()
  /** The SDK is loaded on the first request, so commands that never call a model start without it. */
  const loadSdk = yield* Effect.cached(
    Effect.promise(() => import("openai")).pipe(Effect.map((module) => module.default)),
  )

  const target = (request: ChatRequest): Effect.Effect<Target, ProviderError> => {
    const wanted = request.provider ?? defaults.provider
    const lookup = resolveProvider({ model: request.model, provider: wanted }, app.config.providers, env.get)
    const problem = providerProblem(lookup, request.model, app.path)
    if (problem !== undefined || lookup._tag !== "Found") {
      const provider = lookup._tag === "UnknownProvider"
        ? lookup.name
        : lookup._tag === "Found"
        ? lookup.provider.spec.name
        : "auto"
      return configError(provider, lookup._tag === "UnknownProvider" ? "UnknownProvider" : "MissingKey", problem ?? "")
    }
    const resolved = lookup.provider
    const { spec } = resolved
    if (resolved.apiBase === undefined) {
      return configError(
        spec.name,
        "MissingKey",
        `No API base for ${spec.displayName} (model "${request.model}"): set providers.${spec.name}.apiBase in ${app.path}.`,
      )
    }
    const secret = resolved.apiKey === undefined ? undefined : Redacted.value(resolved.apiKey)
    const context: ErrorContext = {
      provider: spec.name,
      displayName: spec.displayName,
      apiBase: resolved.apiBase,
      keySource: resolved.keySource,
      secret,
      timeoutS: retry.requestTimeoutS,
    }
    const cached = clients.get(spec.name)
    if (cached !== undefined) return loadSdk.pipe(Effect.map((sdk) => ({ resolved, client: cached, context, sdk })))
    return loadSdk.pipe(Effect.flatMap((sdk) =>
      Effect.try({
        try: () =>
          new sdk({
            apiKey: secret ?? "no-key",
            baseURL: resolved.apiBase,
            defaultHeaders: { ...resolved.extraHeaders },
            maxRetries: 0,
            timeout: timeoutMs,
            organization: null,
            project: null,
            adminAPIKey: null,
            webhookSecret: null,
            logLevel: "off",
          }),
        catch: (cause) => toProviderError(cause, context, 0, sdk),
      }).pipe(
        Effect.map((client) => {
          clients.set(spec.name, client)
          return { resolved, client, context, sdk }
        }),
      )
    ))
  }

  const attempt = (
    { client, context, resolved, sdk }: Target,
    body: OpenAI.ChatCompletionCreateParamsStreaming,
    options: ChatOptions,
  ): Effect.Effect<ChatResponse, ProviderError> =>
    Effect.gen(function* () {
      const stream = yield* Effect.acquireRelease(
        Effect.tryPromise({ try: (signal) => client.chat.completions.create(body, { signal }), catch: (e) => e }),
        (stream) => Effect.sync(() => stream.controller.abort()),
        { interruptible: true },
      )
      const iterator = stream[Symbol.asyncIterator]()
      const accumulator = makeAccumulator(resolved.spec.name, resolved.apiModel)
      const silence = makeError(context, "Timeout", "the response stream went silent")
      while (true) {
        const next = yield* Effect.tryPromise({ try: () => iterator.next(), catch: (e) => e }).pipe(
          Effect.timeoutOrElse({ duration: timeoutMs, orElse: () => Effect.fail(silence) }),
        )
        if (next.done === true) break
        const piece = accumulator.add(next.value)
        if (piece !== undefined && options.onTextDelta !== undefined) yield* options.onTextDelta(piece)
      }
      if (accumulator.finishReason() === undefined) {
        return yield* makeError(context, "Network", "the response stream ended before the answer was complete")
      }
      return accumulator.result()
    }).pipe(
      Effect.scoped,
      Effect.catch((cause) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(toProviderError(cause, context, now, sdk)))
      ),
    )

  const chat = Effect.fn("OpenAiCompatibleProvider.chat")(function* (request: ChatRequest, options: ChatOptions = {}) {
    const chosen = yield* target(request)
    const body = toRequestBody(request, chosen.resolved.spec, chosen.resolved.apiModel, {
      maxTokens: defaults.maxTokens,
      temperature: defaults.temperature,
      reasoningEffort: defaults.reasoningEffort,
    })
    let retries = 0
    const schedule = llmRetrySchedule(retry).pipe(
      Schedule.tap(({ input, duration }) =>
        Effect.gen(function* () {
          retries++
          yield* Effect.logWarning(
            `${input.message} (retry ${retries} of ${retry.maxRetries} in ${
              Math.round(Duration.toMillis(duration))
            } ms)`,
          )
          if (options.onRetry !== undefined) yield* options.onRetry(input)
        })
      ),
    )
    return yield* attempt(chosen, body, options).pipe(
      Effect.retry(schedule),
      Effect.mapError((error) => exhausted(error, chosen.context, retries)),
    )
  })

  return LlmProvider.of({ chat })
})

export class OpenAiCompatibleProvider {
  /** The `LlmProvider` for the configured providers; needs `AppConfig` and `Environment`. */
  static readonly layer: Layer.Layer<LlmProvider, never, AppConfig | Environment> = Layer.effect(LlmProvider, make)
}
