/**
 * Model → provider matching, in nanobot's order: an explicit `agents.defaults.provider`, then a provider prefix on
 * the model (`deepseek/deepseek-chat`), then a keyword in the model name among providers that have a key, then the
 * first provider that has a key. The result says which key was found and where, so errors can say where to put one.
 */
import * as Redacted from "effect/Redacted"
import type { ProviderConfig, ProvidersConfig, ProviderSpec } from "./ProviderRegistry.ts"
import { findSpec, PROVIDERS } from "./ProviderRegistry.ts"

export interface ResolvedProvider {
  readonly spec: ProviderSpec
  readonly apiKey: Redacted.Redacted<string> | undefined
  /** Where the key came from: `providers.openai.apiKey`, `OPENAI_API_KEY`, or undefined. */
  readonly keySource: string | undefined
  readonly apiBase: string | undefined
  readonly extraHeaders: Readonly<Record<string, string>>
  /** The model name as the provider's API expects it. */
  readonly apiModel: string
  readonly isGateway: boolean
  /** How the provider was chosen, for `claw status`. */
  readonly matchedBy: "explicit" | "prefix" | "keyword" | "fallback"
}

export type ProviderLookup =
  | { readonly _tag: "Found"; readonly provider: ResolvedProvider }
  | { readonly _tag: "UnknownProvider"; readonly name: string }
  | { readonly _tag: "NoProvider"; readonly model: string }

type EnvLookup = (name: string) => string | undefined

const keyOf = (spec: ProviderSpec, providers: ProvidersConfig, env: EnvLookup) => {
  const configured: ProviderConfig | undefined = providers[spec.name]
  if (configured?.apiKey !== undefined && Redacted.value(configured.apiKey).trim() !== "") {
    return { apiKey: configured.apiKey, keySource: `providers.${spec.name}.apiKey` }
  }
  for (const variable of spec.envKeys) {
    const value = env(variable)
    if (value !== undefined && value.trim() !== "") return { apiKey: Redacted.make(value), keySource: variable }
  }
  return { apiKey: undefined, keySource: undefined }
}

/** A provider is usable when it has a key, or when it is a local server with an apiBase configured. */
const isUsable = (spec: ProviderSpec, providers: ProvidersConfig, env: EnvLookup) =>
  keyOf(spec, providers, env).apiKey !== undefined ||
  (spec.isLocal === true && providers[spec.name]?.apiBase !== undefined)

const apiModelFor = (spec: ProviderSpec, model: string) => {
  const own = `${spec.name}/`
  const withoutOwn = model.toLowerCase().startsWith(own) ? model.slice(own.length) : model
  if (spec.stripModelPrefix === true) return withoutOwn.slice(withoutOwn.lastIndexOf("/") + 1)
  if (spec.isGateway === true || spec.isLocal === true) return withoutOwn
  const slash = withoutOwn.indexOf("/")
  const vendor = slash >= 0 ? withoutOwn.slice(0, slash).toLowerCase() : ""
  return slash >= 0 && spec.keywords.includes(vendor) ? withoutOwn.slice(slash + 1) : withoutOwn
}

const build = (
  spec: ProviderSpec,
  model: string,
  providers: ProvidersConfig,
  env: EnvLookup,
  matchedBy: ResolvedProvider["matchedBy"],
): ResolvedProvider => {
  const { apiKey, keySource } = keyOf(spec, providers, env)
  const configured = providers[spec.name]
  const apiBase = configured?.apiBase ?? spec.defaultApiBase
  const key = apiKey === undefined ? "" : Redacted.value(apiKey)
  const gatewayByKey = PROVIDERS.find((s) => s.detectByKeyPrefix !== undefined && key.startsWith(s.detectByKeyPrefix))
  const gatewayByBase = PROVIDERS.find((s) =>
    s.detectByBaseKeyword !== undefined && (apiBase ?? "").toLowerCase().includes(s.detectByBaseKeyword)
  )
  const effective = spec.isGateway === true ? spec : gatewayByKey ?? gatewayByBase ?? spec
  return {
    spec,
    apiKey,
    keySource,
    apiBase,
    extraHeaders: configured?.extraHeaders ?? {},
    apiModel: apiModelFor({ ...effective, name: spec.name }, model),
    isGateway: effective.isGateway === true,
    matchedBy,
  }
}

export const resolveProvider = (
  options: { readonly model: string; readonly provider: string },
  providers: ProvidersConfig,
  env: EnvLookup,
): ProviderLookup => {
  const { model } = options
  const lower = model.toLowerCase()
  if (options.provider !== "auto" && options.provider !== "") {
    const spec = findSpec(options.provider)
    return spec === undefined
      ? { _tag: "UnknownProvider", name: options.provider }
      : { _tag: "Found", provider: build(spec, model, providers, env, "explicit") }
  }
  const slash = lower.indexOf("/")
  if (slash > 0) {
    const byPrefix = findSpec(lower.slice(0, slash))
    if (
      byPrefix !== undefined &&
      (isUsable(byPrefix, providers, env) || !PROVIDERS.some((s) => isUsable(s, providers, env)))
    ) {
      return { _tag: "Found", provider: build(byPrefix, model, providers, env, "prefix") }
    }
  }
  const byKeyword = PROVIDERS.find((spec) =>
    spec.keywords.some((word) => lower.includes(word)) && isUsable(spec, providers, env)
  )
  if (byKeyword !== undefined) return { _tag: "Found", provider: build(byKeyword, model, providers, env, "keyword") }
  const fallback = PROVIDERS.find((spec) => isUsable(spec, providers, env))
  if (fallback !== undefined) return { _tag: "Found", provider: build(fallback, model, providers, env, "fallback") }
  const wanted = PROVIDERS.find((spec) => spec.keywords.some((word) => lower.includes(word)))
  return wanted === undefined
    ? { _tag: "NoProvider", model }
    : { _tag: "Found", provider: build(wanted, model, providers, env, "keyword") }
}
