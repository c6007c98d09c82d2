/**
 * `claw status`: configuration, provider, keys (redacted), channels, tokens and the tool sandbox.
 */
import * as Command from "effect/cli/Command"
import * as handlers from "../handlers/status.ts"

export const statusCommand = Command.make(
  "status",
  {},
  () => handlers.run(),
).pipe(Command.withDescription("Show configuration, provider, keys (redacted), channels, tokens and the sandbox"))
