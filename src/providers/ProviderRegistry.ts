/**
 * The provider registry: the single source of truth for every LLM provider claw can talk to. Each entry says how
 * to recognise the provider from a model name, where its key comes from and where its OpenAI-compatible endpoint
 * lives. Adding a provider is one entry in `PROVIDERS`; config keys, env vars, matching and `claw status` follow.
 */
import * as Schema from "effect/Schema"
import { optional, Secret, StringMap, withDefault } from "../config/fields.ts"

export interface ProviderSpec {
  /** Config key under `providers` and the prefix users may put before a model (`deepseek/deepseek-chat`). */
  readonly name: string
  readonly displayName: string
  /** Lower-case words that, found in a model name, select this provider. */
  readonly keywords: ReadonlyArray<string>
  /** Environment variables that may hold the key, first one preferred. */
  readonly envKeys: ReadonlyArray<string>
  readonly defaultApiBase?: string
  /** Routes any model (OpenRouter, AiHubMix): the model name is sent with its vendor prefix. */
  readonly isGateway?: boolean
  /** Runs locally: a key is optional. */
  readonly isLocal?: boolean
  /** Send only the part after the last `/` of the model name. */
  readonly stripModelPrefix?: boolean
  /** A key with this prefix belongs to this gateway, whatever section it sits in. */
  readonly detectByKeyPrefix?: string
  /** An apiBase containing this word belongs to this gateway. */
  readonly detectByBaseKeyword?: string
  /** The provider rejects multi-turn tool use unless `reasoning_content` is sent back. */
  readonly replayReasoning?: boolean
  /** Per-model request overrides, matched by substring of the model name. */
  readonly modelOverrides?: ReadonlyArray<readonly [string, { readonly temperature?: number }]>
}

/** Order matters for the fallback "first provider with a key": gateways first, local servers last. */
export const PROVIDERS: ReadonlyArray<ProviderSpec> = [
  {
    name: "custom",
    displayName: "Custom (OpenAI-compatible)",
    keywords: [],
    envKeys: ["CUSTOM_API_KEY"],
    isLocal: true,
  },
  {
    name: "openrouter",
    displayName: "OpenRouter",
    keywords: ["openrouter"],
    envKeys: ["OPENROUTER_API_KEY"],
    defaultApiBase: "https://openrouter.ai/api/v1",
    isGateway: true,
    detectByKeyPrefix: "sk-or-",
    detectByBaseKeyword: "openrouter",
  },
  {
    name: "aihubmix",
    displayName: "AiHubMix",
    keywords: ["aihubmix"],
    envKeys: ["AIHUBMIX_API_KEY"],
    defaultApiBase: "https://aihubmix.com/v1",
    isGateway: true,
    stripModelPrefix: true,
    detectByBaseKeyword: "aihubmix",
  },
  {
    name: "anthropic",
    displayName: "Anthropic",
    keywords: ["anthropic", "claude"],
    envKeys: ["ANTHROPIC_API_KEY"],
    defaultApiBase: "https://api.anthropic.com/v1",
  },
  {
    name: "openai",
    displayName: "OpenAI",
    keywords: ["openai", "gpt"],
    envKeys: ["OPENAI_API_KEY"],
    defaultApiBase: "https://api.openai.com/v1",
  },
  {
    name: "deepseek",
    displayName: "DeepSeek",
    keywords: ["deepseek"],
    envKeys: ["DEEPSEEK_API_KEY"],
    defaultApiBase: "https://api.deepseek.com/v1",
    replayReasoning: true,
  },
  {
    name: "gemini",
    displayName: "Gemini",
    keywords: ["gemini"],
    envKeys: ["GEMINI_API_KEY"],
    defaultApiBase: "https://generativelanguage.googleapis.com/v1beta/openai",
  },
  {
    name: "zhipu",
    displayName: "Zhipu AI",
    keywords: ["zhipu", "glm", "zai"],
    envKeys: ["ZAI_API_KEY", "ZHIPUAI_API_KEY"],
    defaultApiBase: "https://open.bigmodel.cn/api/paas/v4",
    replayReasoning: true,
  },
  {
    name: "dashscope",
    displayName: "DashScope",
    keywords: ["qwen", "dashscope"],
    envKeys: ["DASHSCOPE_API_KEY"],
    defaultApiBase: "https://dashscope.aliyuncs.com/compatible-mode/v1",
  },
  {
    name: "moonshot",
    displayName: "Moonshot",
    keywords: ["moonshot", "kimi"],
    envKeys: ["MOONSHOT_API_KEY"],
    defaultApiBase: "https://api.moonshot.ai/v1",
    replayReasoning: true,
    modelOverrides: [["kimi-k2.5", { temperature: 1.0 }]],
  },
  {
    name: "minimax",
    displayName: "MiniMax",
    keywords: ["minimax"],
    envKeys: ["MINIMAX_API_KEY"],
    defaultApiBase: "https://api.minimax.io/v1",
  },
  {
    name: "vllm",
    displayName: "vLLM/Local",
    keywords: ["vllm"],
    envKeys: ["HOSTED_VLLM_API_KEY"],
    defaultApiBase: "http://localhost:8000/v1",
    isLocal: true,
  },
  {
    name: "groq",
    displayName: "Groq",
    keywords: ["groq"],
    envKeys: ["GROQ_API_KEY"],
    defaultApiBase: "https://api.groq.com/openai/v1",
  },
]

export const findSpec = (name: string): ProviderSpec | undefined => PROVIDERS.find((spec) => spec.name === name)

export const ProviderConfig = Schema.Struct({
  apiKey: optional(Secret, "API key (or the provider's environment variable)"),
  apiBase: optional(Schema.String, "Base URL of the OpenAI-compatible API"),
  extraHeaders: withDefault(StringMap, {}, "Extra HTTP headers sent with every request"),
})
export type ProviderConfig = typeof ProviderConfig.Type

/** `providers.<name>` for every registry entry. */
export const ProvidersConfig = Schema.Struct(
  Object.fromEntries(PROVIDERS.map((spec) => [spec.name, optional(ProviderConfig, spec.displayName)])) as Record<
    string,
    ReturnType<typeof optional<typeof ProviderConfig>>
  >,
)
export type ProvidersConfig = typeof ProvidersConfig.Type
