/**
 * `claw permissions [--strict-net] [--flags-only]`: the least-privilege Deno flags the configured gateway needs.
 */
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as handlers from "../handlers/permissions.ts"

const flags = {
  strictNet: Flag.Boolean("strict-net").pipe(
    Flag.withDescription("Grant only the hosts the config names (web_fetch and web_search then reach nothing else)"),
    Flag.withDefault(false),
  ),
  flagsOnly: Flag.Boolean("flags-only").pipe(
    Flag.withDescription("Print one flag per line and nothing else"),
    Flag.withDefault(false),
  ),
}

export const permissionsCommand = Command.make(
  "permissions",
  flags,
  (input) => handlers.run(input),
).pipe(Command.withDescription("Print the least-privilege Deno permission flags the configured gateway needs"))
