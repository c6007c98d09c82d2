/**
 * `claw permissions [--strict-net] [--flags-only]`: the narrowest Deno permission flags the configured gateway
 * needs, as a ready-to-paste `deno run` command line followed by the reason for each flag and what was left out (see
 * `security/permissions/`), or one flag per line. `deno task start` runs the gateway with exactly these flags.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { ToolSandbox } from "../../agent/tools/ToolSandbox.ts"
import { AppConfig } from "../../config/AppConfig.ts"
import { currentProfile } from "../../security/permissions/currentProfile.ts"
import type { PermissionProfile } from "../../security/permissions/PermissionProfile.ts"
import { runCommand } from "../runCommand.ts"

const quote = (flag: string) => /^[\w@%+=:,./-]+$/.test(flag) ? flag : `'${flag.replaceAll("'", "'\\''")}'`

export const renderFlags = (profile: PermissionProfile) => profile.grants.map((grant) => grant.flag).join("\n")

export const renderProfile = (profile: PermissionProfile, options: { readonly configPath: string }) => {
  const lines = [
    `# Deno permissions for \`claw gateway\` with ${options.configPath}`,
    "deno run \\",
    ...profile.grants.map((grant) => `  ${quote(grant.flag)} \\`),
    `  main.ts gateway --config ${quote(options.configPath)}`,
    "",
    "Why:",
    ...profile.grants.map((grant) => `  ${grant.flag.replace(/=.*/, "")}: ${grant.why}`),
  ]
  if (profile.notes.length > 0) lines.push("", "Notes:", ...profile.notes.map((note) => `  - ${note}`))
  return lines.join("\n")
}

export interface PermissionsInput {
  readonly strictNet: boolean
  readonly flagsOnly: boolean
}

export const run = (input: PermissionsInput) =>
  runCommand(
    { defaultLevel: "Warn", layer: ToolSandbox.layer },
    Effect.gen(function* () {
      const app = yield* AppConfig
      const profile = yield* currentProfile({ strictNet: input.strictNet })
      yield* Console.log(input.flagsOnly ? renderFlags(profile) : renderProfile(profile, { configPath: app.path }))
    }),
  )
