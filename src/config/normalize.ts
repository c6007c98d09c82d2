/**
 * Maps the spellings users write onto the Schema's camelCase keys before decoding: `api_key`, `apiKey` and
 * `api-key` are the same key; `channels.ws` is the older name of `channels.websocket`. Walks the Schema's encoded
 * AST alongside the value, so keys the user chooses (provider headers, MCP server names, account ids) are never
 * rewritten. Keys the Schema does not know are reported as warnings and dropped.
 */
import * as Predicate from "effect/Predicate"
import type * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"

export type Path = ReadonlyArray<string | number>

export interface Normalized {
  readonly value: unknown
  readonly warnings: ReadonlyArray<string>
  /** For each normalized path (joined with "."), the path as the user wrote it. */
  readonly originalPaths: ReadonlyMap<string, Path>
}

/** Older or alternative names of keys, by the canonical key's parent path. */
const KEY_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  channels: { ws: "websocket" },
}

const UNSUPPORTED_CHANNELS = new Set([
  "telegram",
  "discord",
  "whatsapp",
  "feishu",
  "dingtalk",
  "slack",
  "email",
  "qq",
])

export const camelCase = (key: string) => key.replace(/[-_]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())

export const formatPath = (path: Path) =>
  path.map((part, i) => typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`).join("")

const unwrap = (ast: SchemaAST.AST): SchemaAST.AST => ast._tag === "Suspend" ? unwrap(ast.thunk()) : ast

export const normalizeKeys = (schema: Schema.Top, input: unknown): Normalized => {
  const warnings: Array<string> = []
  const originalPaths = new Map<string, Path>()

  const walk = (ast: SchemaAST.AST, value: unknown, path: Path, original: Path): unknown => {
    originalPaths.set(formatPath(path), original)
    const node = unwrap(ast)
    if (node._tag === "Union") {
      const objects = node.types.map(unwrap).find((t) => t._tag === "Objects" && t.propertySignatures.length > 0)
      return objects !== undefined && Predicate.isObject(value) && !Array.isArray(value)
        ? walk(objects, value, path, original)
        : value
    }
    if (node._tag === "Arrays" && Array.isArray(value)) {
      const element = node.rest[0]
      return element === undefined ? value : value.map((item, i) => walk(element, item, [...path, i], [...original, i]))
    }
    if (node._tag !== "Objects" || !Predicate.isObject(value) || Array.isArray(value)) return value
    const record = value as Record<string, unknown>
    if (node.propertySignatures.length === 0) {
      const index = node.indexSignatures[0]
      if (index === undefined) return value
      return Object.fromEntries(
        Object.entries(record).map(([k, v]) => [k, walk(index.type, v, [...path, k], [...original, k])]),
      )
    }
    const known = new Map(node.propertySignatures.map((ps) => [String(ps.name), ps.type]))
    const aliases = KEY_ALIASES[formatPath(path)] ?? {}
    const out: Record<string, unknown> = {}
    const chosenFrom = new Map<string, string>()
    for (const [rawKey, child] of Object.entries(record)) {
      const key = aliases[rawKey] ?? (known.has(rawKey) ? rawKey : camelCase(rawKey))
      const childAst = known.get(key)
      const where = formatPath([...original, rawKey])
      if (childAst === undefined) {
        if (rawKey.startsWith("$") || rawKey.startsWith("//")) continue
        warnings.push(
          formatPath(path) === "channels" && UNSUPPORTED_CHANNELS.has(camelCase(rawKey))
            ? `${where}: the ${rawKey} channel is not supported by claw yet; ignored`
            : `${where}: unknown key; ignored`,
        )
        continue
      }
      const previous = chosenFrom.get(key)
      if (previous !== undefined) {
        const keepNew = rawKey === key
        warnings.push(
          `${formatPath([...original, keepNew ? previous : rawKey])}: duplicate of ${
            formatPath([...original, keepNew ? rawKey : previous])
          }; ignored`,
        )
        if (!keepNew) continue
      }
      chosenFrom.set(key, rawKey)
      out[key] = walk(childAst, child, [...path, key], [...original, rawKey])
    }
    return out
  }

  const value = walk(SchemaAST.toEncoded(schema.ast), input, [], [])
  return { value, warnings, originalPaths }
}
