/**
 * `claw config schema`: the JSON Schema of config.json.
 */
import * as Command from "effect/cli/Command"
import * as handlers from "../handlers/config.ts"

const schemaCommand = Command.make(
  "schema",
  {},
  () => handlers.printSchema(),
).pipe(Command.withDescription("Print the JSON Schema of config.json"))

export const configCommand = Command.make("config").pipe(
  Command.withDescription("Inspect the configuration"),
  Command.withSubcommands([schemaCommand]),
)
