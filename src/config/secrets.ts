/**
 * Every secret value claw knows about, so the log redactor can scrub them: the `Redacted` values of the config
 * and the provider/tool keys found in the environment.
 */
import * as Redacted from "effect/Redacted"
import { PROVIDERS } from "../providers/ProviderRegistry.ts"

const SECRET_ENV = ["BRAVE_API_KEY", ...PROVIDERS.flatMap((spec) => spec.envKeys)]

const collect = (value: unknown, out: Array<string>) => {
  if (Redacted.isRedacted(value)) {
    out.push(String(Redacted.value(value)))
    return
  }
  if (value === null || typeof value !== "object") return
  for (const child of Object.values(value)) collect(child, out)
}

export const collectSecrets = (config: unknown, env: (name: string) => string | undefined) => {
  const out: Array<string> = []
  collect(config, out)
  for (const name of SECRET_ENV) {
    const value = env(name)
    if (value !== undefined && value !== "") out.push(value)
  }
  return out
}
