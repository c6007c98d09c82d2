/**
 * Reads a `SKILL.md`: YAML frontmatter between `---` lines (parsed by the `yaml` library, then decoded with
 * Schema), then the Markdown body. Fields: `name`, `description`, `always` (a real boolean: `always: false` is
 * false), `metadata` as a YAML mapping or a JSON string, whose `requires.bins` / `requires.env` say what the
 * skill needs. nanobot and OpenClaw skills nest them under `metadata.nanobot` / `metadata.openclaw`; those are read
 * too, so their skills work unchanged.
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import { parseDocument } from "yaml"

export interface SkillManifest {
  readonly name: string | undefined
  readonly description: string | undefined
  readonly always: boolean
  readonly requires: { readonly bins: ReadonlyArray<string>; readonly env: ReadonlyArray<string> }
}

export interface SkillFile {
  readonly manifest: SkillManifest
  readonly body: string
}

const JsonObject = Schema.Record(Schema.String, Schema.Unknown)

const Frontmatter = Schema.Struct({
  name: Schema.optionalKey(Schema.String),
  description: Schema.optionalKey(Schema.String),
  always: Schema.optionalKey(Schema.Boolean),
  metadata: Schema.optionalKey(Schema.Union([JsonObject, Schema.fromJsonString(JsonObject)])),
})

const Requires = Schema.Struct({
  bins: Schema.optionalKey(Schema.Array(Schema.String)),
  env: Schema.optionalKey(Schema.Array(Schema.String)),
})

const NAMESPACES = ["claw", "nanobot", "openclaw"] as const

const FRONTMATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/

const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1()

const decode = <S extends Schema.Codec<unknown, unknown>>(schema: S, what: string, input: unknown) =>
  Result.mapError(
    Schema.decodeUnknownResult(schema)(input, { errors: "all" }),
    (error) =>
      formatIssues(error.issue).issues.map((issue) => {
        const path = (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p))
        return `${[what, ...path].join(".")}: ${issue.message}`
      }).join("; "),
  )

const requiresOf = (metadata: Readonly<Record<string, unknown>> | undefined) => {
  if (metadata === undefined) return Result.succeed({ bins: [], env: [] })
  const nested = NAMESPACES.map((name) => metadata[name]).find((value) =>
    typeof value === "object" && value !== null && "requires" in value
  ) as { readonly requires: unknown } | undefined
  const raw = metadata.requires ?? nested?.requires
  if (raw === undefined) return Result.succeed({ bins: [], env: [] })
  return Result.map(decode(Requires, "metadata.requires", raw), (requires) => ({
    bins: requires.bins ?? [],
    env: requires.env ?? [],
  }))
}

const parseYaml = (text: string): Result.Result<unknown, string> => {
  const document = parseDocument(text, { prettyErrors: false })
  const error = document.errors[0]
  if (error !== undefined) return Result.fail(`frontmatter is not valid YAML: ${error.message}`)
  try {
    return Result.succeed(document.toJS() ?? {})
  } catch (cause) {
    return Result.fail(`frontmatter is not valid YAML: ${cause instanceof Error ? cause.message : String(cause)}`)
  }
}

/** The manifest and body of a SKILL.md text, or a message saying what is wrong with its frontmatter. */
export const parseSkillFile = (text: string): Result.Result<SkillFile, string> => {
  const match = FRONTMATTER.exec(text)
  if (match === null) {
    return Result.succeed({
      manifest: { name: undefined, description: undefined, always: false, requires: { bins: [], env: [] } },
      body: text.trim(),
    })
  }
  const body = text.slice(match[0].length).trim()
  return Result.flatMap(
    parseYaml(match[1] ?? ""),
    (value) =>
      Result.flatMap(
        decode(Frontmatter, "frontmatter", value),
        (frontmatter) =>
          Result.map(requiresOf(frontmatter.metadata), (requires) => ({
            manifest: {
              name: frontmatter.name,
              description: frontmatter.description,
              always: frontmatter.always === true,
              requires,
            },
            body,
          })),
      ),
  )
}
