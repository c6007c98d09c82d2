/**
 * The environment variables claw reads. Everything else looks unset to it under the profile (see
 * `platform/processEnv.ts` for npm packages that list the environment). `CLAW_<SECTION>__<KEY>` overrides are the
 * exception: claw finds them by listing the environment, which Deno only allows with an unscoped `--allow-env`.
 */
import type { ClawConfig } from "../../config/ConfigSchema.ts"
import { ENV_PREFIX } from "../../config/envOverrides.ts"
import { PROVIDERS } from "../../providers/ProviderRegistry.ts"

export interface EnvNeeds {
  /** `undefined`: every variable (overrides are set). */
  readonly names: ReadonlyArray<string> | undefined
  readonly overrides: ReadonlyArray<string>
  readonly reasons: ReadonlyArray<string>
}

export const isOverride = (name: string) => name.startsWith(ENV_PREFIX) && name.includes("__")

export const envNeeds = (
  config: ClawConfig,
  options: { readonly os: string; readonly present: ReadonlyArray<string>; readonly execEnabled: boolean },
): EnvNeeds => {
  const home = options.os === "windows" ? "USERPROFILE" : "HOME"
  const groups: Array<readonly [ReadonlyArray<string>, string]> = [
    [[home, "CLAW_HOME"], `${home} expands ~ and locates CLAW_HOME`],
    [["CLAW_TOOL_SANDBOX", "CLAW_EXEC_SANDBOX"], "CLAW_TOOL_SANDBOX / CLAW_EXEC_SANDBOX choose the tool confinement"],
    [["PATH"], "PATH finds the programs skills require, MCP servers and exec commands"],
    [PROVIDERS.flatMap((spec) => spec.envKeys), "provider keys (OPENROUTER_API_KEY, …) when not in config.json"],
    [["BRAVE_API_KEY"], "BRAVE_API_KEY for web_search when tools.web.search.apiKey is unset"],
  ]
  if (options.execEnabled) groups.push([["LANG", "TERM"], "LANG and TERM are passed on to exec commands"])
  if (options.execEnabled || Object.keys(config.tools.mcpServers).length > 0) {
    groups.push([["NODE_V8_COVERAGE"], "Deno's node:child_process reads NODE_V8_COVERAGE when it starts a program"])
  }
  const overrides = options.present.filter(isOverride).sort()
  const reasons = groups.map(([, why]) => why)
  if (Object.keys(config.tools.mcpServers).length > 0) reasons.push("MCP servers get PATH and HOME")
  if (overrides.length > 0) {
    return {
      names: undefined,
      overrides,
      reasons: [
        `${overrides.join(", ")} ${overrides.length === 1 ? "is" : "are"} set: claw finds CLAW_…__… overrides by ` +
        "listing the environment, which needs every variable; move them into config.json to narrow this",
      ],
    }
  }
  return { names: [...new Set(groups.flatMap(([names]) => names))], overrides, reasons }
}
