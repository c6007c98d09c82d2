/**
 * What to tell a user whose model cannot be called: an unknown provider, no provider at all, or a missing key, with
 * the key and the two places it can go. One wording for the provider's errors and the gateway's startup warning.
 */
import { PROVIDERS } from "./ProviderRegistry.ts"
import type { ProviderLookup } from "./resolveProvider.ts"

const known = () => PROVIDERS.map((spec) => spec.name).join(", ")

/** `undefined` when the lookup found a provider that can be called. */
export const providerProblem = (lookup: ProviderLookup, model: string, configPath: string): string | undefined => {
  switch (lookup._tag) {
    case "UnknownProvider":
      return `Unknown LLM provider "${lookup.name}": use "auto" or one of ${known()}.`
    case "NoProvider":
      return `No LLM provider for model "${model}": set providers.<name>.apiKey in ${configPath} for one of ${known()}, ` +
        `or export its environment variable (e.g. OPENROUTER_API_KEY).`
    case "Found": {
      const { spec, apiKey } = lookup.provider
      if (apiKey !== undefined || spec.isLocal === true) return undefined
      return `No API key for ${spec.displayName} (model "${model}"): set providers.${spec.name}.apiKey in ` +
        `${configPath} or export ${spec.envKeys.join(" or ")}.`
    }
  }
}

/** The startup warning: the problem, plus the gateway route that works for any model. */
export const missingKeyAdvice = (lookup: ProviderLookup, model: string, configPath: string): string | undefined => {
  const problem = providerProblem(lookup, model, configPath)
  if (problem === undefined || lookup._tag !== "Found" || lookup.provider.spec.name === "openrouter") return problem
  return `${problem} Or use any other provider, e.g. providers.openrouter.apiKey / OPENROUTER_API_KEY.`
}
