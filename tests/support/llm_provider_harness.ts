/**
 * Test helpers for `LlmProvider` adapters: build the provider layer from a config object (decoded like a real
 * `config.json`) and a fake environment, run one chat, and run a test body against a fresh fake LLM server.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { AppConfig } from "../../src/config/AppConfig.ts"
import { decodeConfigValue } from "../../src/config/decodeConfig.ts"
import { Environment } from "../../src/platform/Environment.ts"
import { type ChatOptions, type ChatRequest, LlmProvider } from "../../src/providers/LlmProvider.ts"
import { OpenAiCompatibleProvider } from "../../src/providers/OpenAiCompatibleProvider.ts"
import { type FakeLlm, startFakeLlm } from "./fake_llm.ts"

export const CONFIG_PATH = "/home/test/.claw/config.json"
export const SECRET = "sk-test-0123456789abcdefSECRET"

/** Small delays so retry tests run in milliseconds. */
export const fastRetry = { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20, requestTimeoutS: 5 }

export const configFor = (
  providers: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>> = {},
) => ({ agents: { defaults: { retry: fastRetry, ...defaults } }, providers })

export const providerLayer = (config: unknown, env: Readonly<Record<string, string>> = {}) => {
  const decoded = decodeConfigValue(config)
  if (decoded._tag === "Invalid") throw new Error(`Invalid test config: ${decoded.problems.join("; ")}`)
  return OpenAiCompatibleProvider.layer.pipe(
    Layer.provide(Layer.mergeAll(
      AppConfig.layerTest({ home: "/home/test/.claw", path: CONFIG_PATH, config: decoded.config }),
      Environment.layerTest(env),
    )),
  )
}

export const runChat = (layer: Layer.Layer<LlmProvider>, request: ChatRequest, options?: ChatOptions) =>
  Effect.runPromise(LlmProvider.use((llm) => llm.chat(request, options)).pipe(Effect.provide(layer)))

/** Runs a chat that must fail and returns its `ProviderError`. */
export const chatError = (layer: Layer.Layer<LlmProvider>, request: ChatRequest, options?: ChatOptions) =>
  Effect.runPromise(LlmProvider.use((llm) => llm.chat(request, options)).pipe(Effect.flip, Effect.provide(layer)))

export const withFakeLlm = (body: (fake: FakeLlm) => Promise<void>) => async () => {
  const fake = await startFakeLlm()
  try {
    await body(fake)
  } finally {
    await fake.close()
  }
}

export const user = (content: string) => ({ role: "user" as const, content })
