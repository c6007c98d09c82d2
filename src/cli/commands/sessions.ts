/**
 * `claw sessions list`: sessions with message counts, last activity and tokens.
 */
import * as Command from "effect/cli/Command"
import * as handlers from "../handlers/sessions.ts"

const listCommand = Command.make(
  "list",
  {},
  () => handlers.list(),
).pipe(Command.withDescription("List sessions with message counts, last activity and tokens spent"))

export const sessionsCommand = Command.make("sessions").pipe(
  Command.withDescription("Inspect conversation sessions"),
  Command.withSubcommands([listCommand]),
)
