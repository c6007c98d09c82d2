/**
 * What to tell a user whose model has no usable provider: which key is missing and the two places it can go.
 */
import { PROVIDERS } from "./ProviderRegistry.ts"
import type { ProviderLookup } from "./resolveProvider.ts"

/** `undefined` when the lookup found a provider that can be called. */
export const missingKeyAdvice = (lookup: ProviderLookup, model: string, configPath: string): string | undefined => {
  switch (lookup._tag) {
    case "UnknownProvider":
      return `Unknown provider "${lookup.name}" in agents.defaults.provider (${configPath}). Known providers: ${
        PROVIDERS.map((s) => s.name).join(", ")
      }.`
    case "NoProvider":
      return `No LLM provider is configured for model "${model}". Add an API key: set providers.openrouter.apiKey in ${configPath} or export OPENROUTER_API_KEY (any provider of \`claw status\` works).`
    case "Found": {
      const { provider } = lookup
      if (provider.apiKey !== undefined || provider.spec.isLocal === true) return undefined
      const env = provider.spec.envKeys[0]
      return `No API key for ${provider.spec.displayName} (model "${model}"): set providers.${provider.spec.name}.apiKey in ${configPath}${
        env === undefined ? "" : ` or export ${env}`
      }. Or use any other provider, e.g. providers.openrouter.apiKey / OPENROUTER_API_KEY.`
    }
  }
}
