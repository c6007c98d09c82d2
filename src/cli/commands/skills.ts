/**
 * `claw skills list`: the skills the agent sees, their source and availability.
 */
import * as Command from "effect/cli/Command"
import * as handlers from "../handlers/skills.ts"

const listCommand = Command.make(
  "list",
  {},
  () => handlers.list(),
).pipe(Command.withDescription("List the skills with their source and availability"))

export const skillsCommand = Command.make("skills").pipe(
  Command.withDescription("Inspect the agent's skills"),
  Command.withSubcommands([listCommand]),
)
