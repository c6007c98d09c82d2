/**
 * `resolveProvider`: nanobot's matching order (explicit, prefix, keyword with a key, first provider with a key),
 * where the key came from, and the model name each provider is sent.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict"
import * as Redacted from "effect/Redacted"
import { decodeConfigValue } from "../../src/config/decodeConfig.ts"
import { type ProviderLookup, resolveProvider } from "../../src/providers/resolveProvider.ts"

const providersOf = (providers: Readonly<Record<string, unknown>>) => {
  const decoded = decodeConfigValue({ providers })
  if (decoded._tag === "Invalid") throw new Error(decoded.problems.join("; "))
  return decoded.config.providers
}

const resolve = (
  model: string,
  providers: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string>> = {},
  provider = "auto",
) => resolveProvider({ model, provider }, providersOf(providers), (name) => env[name])

/** The parts of a found provider a user cares about, with the key revealed so it can be compared. */
const summary = (lookup: ProviderLookup) => {
  if (lookup._tag !== "Found") throw new Error(`Expected a provider, got ${JSON.stringify(lookup)}`)
  const { provider } = lookup
  return {
    name: provider.spec.name,
    matchedBy: provider.matchedBy,
    apiModel: provider.apiModel,
    apiBase: provider.apiBase,
    key: provider.apiKey === undefined ? undefined : Redacted.value(provider.apiKey),
    keySource: provider.keySource,
  }
}

Deno.test("resolveProvider uses an explicit provider whatever the model says", () => {
  const lookup = resolve(
    "claude-opus-4-5",
    { openrouter: { apiKey: "sk-or-1" }, anthropic: { apiKey: "a" } },
    {},
    "openrouter",
  )
  assertEquals(summary(lookup), {
    name: "openrouter",
    matchedBy: "explicit",
    apiModel: "claude-opus-4-5",
    apiBase: "https://openrouter.ai/api/v1",
    key: "sk-or-1",
    keySource: "providers.openrouter.apiKey",
  })
})

Deno.test("resolveProvider reports an unknown explicit provider by name", () => {
  assertEquals(resolve("gpt-4o", {}, {}, "openia"), { _tag: "UnknownProvider", name: "openia" })
})

Deno.test("resolveProvider picks the provider named by the model prefix and strips it", () => {
  const lookup = resolve("deepseek/deepseek-chat", { deepseek: { apiKey: "d" }, openrouter: { apiKey: "sk-or-1" } })
  assertEquals(summary(lookup), {
    name: "deepseek",
    matchedBy: "prefix",
    apiModel: "deepseek-chat",
    apiBase: "https://api.deepseek.com/v1",
    key: "d",
    keySource: "providers.deepseek.apiKey",
  })
})

Deno.test("resolveProvider picks a provider by keyword when it has a key", () => {
  const lookup = summary(resolve("claude-sonnet-4", { anthropic: { apiKey: "a" }, openai: { apiKey: "o" } }))
  assertEquals([lookup.name, lookup.matchedBy, lookup.apiModel], ["anthropic", "keyword", "claude-sonnet-4"])
})

Deno.test("resolveProvider falls back to the first provider with a key, keeping the vendor prefix for a gateway", () => {
  const lookup = resolve("anthropic/claude-opus-4-5", {}, { OPENROUTER_API_KEY: "sk-or-env" })
  assertEquals(summary(lookup), {
    name: "openrouter",
    matchedBy: "fallback",
    apiModel: "anthropic/claude-opus-4-5",
    apiBase: "https://openrouter.ai/api/v1",
    key: "sk-or-env",
    keySource: "OPENROUTER_API_KEY",
  })
})

Deno.test("resolveProvider takes keys from environment variables, the config key winning", () => {
  const fromEnv = summary(resolve("gpt-4o", {}, { OPENAI_API_KEY: "env-key" }))
  assertEquals([fromEnv.name, fromEnv.key, fromEnv.keySource], ["openai", "env-key", "OPENAI_API_KEY"])
  const fromConfig = summary(resolve("gpt-4o", { openai: { apiKey: "file-key" } }, { OPENAI_API_KEY: "env-key" }))
  assertEquals([fromConfig.key, fromConfig.keySource], ["file-key", "providers.openai.apiKey"])
  const second = summary(resolve("glm-4", {}, { ZHIPUAI_API_KEY: "z" }))
  assertEquals([second.name, second.keySource], ["zhipu", "ZHIPUAI_API_KEY"])
})

Deno.test("resolveProvider uses a vLLM server with an apiBase and no key", () => {
  const lookup = resolve("vllm/meta-llama/Llama-3-8B", { vllm: { apiBase: "http://127.0.0.1:9999/v1" } })
  assertEquals(summary(lookup), {
    name: "vllm",
    matchedBy: "prefix",
    apiModel: "meta-llama/Llama-3-8B",
    apiBase: "http://127.0.0.1:9999/v1",
    key: undefined,
    keySource: undefined,
  })
})

Deno.test("resolveProvider without any configured provider names the one the model wants, or none", () => {
  const wanted = summary(resolve("anthropic/claude-opus-4-5", {}))
  assertEquals([wanted.name, wanted.key, wanted.keySource], ["anthropic", undefined, undefined])
  assertEquals(resolve("mystery-model", {}), { _tag: "NoProvider", model: "mystery-model" })
})
