/**
 * `claw onboard`: the config file and the workspace templates, never overwriting.
 */
import * as Command from "effect/cli/Command"
import * as handlers from "../handlers/onboard.ts"

export const onboardCommand = Command.make(
  "onboard",
  {},
  () => handlers.run(),
).pipe(Command.withDescription("Create the config file and the workspace templates (never overwrites)"))
