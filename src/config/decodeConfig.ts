/**
 * Turns the text of `config.json` into a `ClawConfig`, or into one line per problem naming the key path as the user
 * wrote it, the bad value and what was expected. Never falls back to defaults on a broken file.
 */
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import { ClawConfig } from "./ConfigSchema.ts"
import { mergeDeep } from "./envOverrides.ts"
import { formatPath, normalizeKeys, type Path } from "./normalize.ts"

export type Decoded =
  | { readonly _tag: "Ok"; readonly config: ClawConfig; readonly warnings: ReadonlyArray<string> }
  | { readonly _tag: "Invalid"; readonly problems: ReadonlyArray<string>; readonly warnings: ReadonlyArray<string> }

const SECRET_KEY = /(key|token|secret|password)$/i

const valueAt = (root: unknown, path: Path): { found: boolean; value?: unknown } => {
  let current: unknown = root
  for (const part of path) {
    if (current === null || typeof current !== "object" || !(part in (current as object))) return { found: false }
    current = (current as Record<string | number, unknown>)[part]
  }
  return { found: true, value: current }
}

const describeValue = (value: unknown, path: Path) => {
  const last = path[path.length - 1]
  if (typeof last === "string" && SECRET_KEY.test(last)) return `a ${value === null ? "null" : typeof value} (hidden)`
  const text = JSON.stringify(value)
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

const decodeValue = Schema.decodeUnknownExit(ClawConfig)

export const decodeConfigValue = (input: unknown): Decoded => {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return {
      _tag: "Invalid",
      problems: [`(root): expected a JSON object, got ${describeValue(input, [])}`],
      warnings: [],
    }
  }
  const { originalPaths, value, warnings } = normalizeKeys(ClawConfig, input)
  const exit = decodeValue(value, { errors: "all", onExcessProperty: "ignore" })
  if (Exit.isSuccess(exit)) return { _tag: "Ok", config: exit.value, warnings }
  const schemaError = exit.cause.reasons.map((reason) => reason._tag === "Fail" ? reason.error : undefined).find(
    (error) => error !== undefined,
  )
  if (schemaError === undefined) return { _tag: "Invalid", problems: [`(root): ${String(exit.cause)}`], warnings }
  const problems = formatter(schemaError.issue).issues.map((issue) => {
    const normalizedPath = (issue.path ?? []).map((p) => (typeof p === "object" ? p.key : p) as string | number)
    const original = originalPaths.get(formatPath(normalizedPath)) ?? normalizedPath
    const at = valueAt(input, original)
    const expected = issue.message.charAt(0).toLowerCase() + issue.message.slice(1)
    const got = at.found ? `, got ${describeValue(at.value, original)}` : ""
    return `${formatPath(original) || "(root)"}: ${expected}${got}`
  })
  return { _tag: "Invalid", problems, warnings }
}

/** Decodes the file's text (or `{}` when there is no file) with `overrides` (from the environment) laid over it. */
export const decodeConfigText = (text: string | undefined, overrides: Record<string, unknown> = {}): Decoded => {
  let parsed: unknown = {}
  if (text !== undefined) {
    try {
      parsed = JSON.parse(text)
    } catch (error) {
      return { _tag: "Invalid", problems: [`(file): not valid JSON: ${(error as Error).message}`], warnings: [] }
    }
  }
  return decodeConfigValue(Object.keys(overrides).length === 0 ? parsed : mergeDeep(parsed, overrides))
}

export const defaultConfig = (): ClawConfig => {
  const decoded = decodeConfigValue({})
  if (decoded._tag === "Invalid") throw new Error(`The built-in defaults are invalid: ${decoded.problems.join("; ")}`)
  return decoded.config
}
