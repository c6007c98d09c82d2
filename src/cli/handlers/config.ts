/**
 * `claw config schema`: the JSON Schema of config.json, generated from the same Schema that decodes it, for
 * editors (`"$schema"`) and validation tools.
 */
import * as Console from "effect/Console"
import * as Schema from "effect/Schema"
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

export const printSchema = () => Console.log(JSON.stringify(configJsonSchema(), null, 2))
