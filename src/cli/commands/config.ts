/**
 * `claw config schema`: the JSON Schema of config.json, generated from the same Schema that decodes it, for
 * editors (`"$schema"`) and validation tools.
 */
import * as Console from "effect/Console"
import * as Schema from "effect/Schema"
import * as Command from "effect/cli/Command"
import { ClawConfig } from "../../config/ConfigSchema.ts"

export const configJsonSchema = () => {
  const document = Schema.toJsonSchemaDocument(ClawConfig)
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "claw config.json",
    ...document.schema,
    ...(Object.keys(document.definitions).length > 0 ? { $defs: document.definitions } : {}),
  }
}

const schemaCommand = Command.make("schema", {}, () => Console.log(JSON.stringify(configJsonSchema(), null, 2))).pipe(
  Command.withDescription("Print the JSON Schema of config.json"),
)

export const configCommand = Command.make("config").pipe(
  Command.withDescription("Inspect the configuration"),
  Command.withSubcommands([schemaCommand]),
)
