/**
 * The tools the agent may call. Decodes the model's arguments with each tool's Schema and always answers with
 * text: a failure (bad JSON, invalid arguments, a `ToolError`, even a crashed tool) becomes an error message with a
 * hint, so the model can try another approach and the turn goes on. Tools can be added and removed at run time
 * (MCP servers come and go).
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import type { ToolCall, ToolSpec } from "../../providers/LlmProvider.ts"
import type { Tool, ToolContext } from "./Tool.ts"

export const ERROR_HINT = "\n\n[Analyze the error above and try a different approach.]"

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

const SAFE_INTEGER_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])

/** Drops the safe-integer bounds Schema.Int adds: they only cost tokens. */
const tidy = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(tidy)
  if (value === null || typeof value !== "object") return value
  return Object.fromEntries(
    Object.entries(value).filter(([k, v]) =>
      !((k === "minimum" || k === "maximum") && SAFE_INTEGER_BOUNDS.has(v as number))
    )
      .map(([k, v]) => [k, tidy(v)]),
  )
}

const jsonSchemaOf = (tool: Tool): Record<string, unknown> => {
  const { definitions, schema } = Schema.toJsonSchemaDocument(tool.parameters)
  const out = tidy(schema) as Record<string, unknown>
  delete out.additionalProperties
  if (Object.keys(definitions).length > 0) out.$defs = definitions
  if (out.type === undefined) out.type = "object"
  if (out.properties === undefined) out.properties = {}
  return out
}

export const toolSpecOf = (tool: Tool): ToolSpec => ({
  name: tool.name,
  description: tool.description,
  parameters: tool.jsonSchema === undefined ? jsonSchemaOf(tool) : { ...tool.jsonSchema },
})

const describeArgsError = (error: unknown) => {
  if (Schema.isSchemaError(error)) {
    return formatter(error.issue).issues.map((issue) => {
      const path = (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".")
      return path === "" ? issue.message : `${path}: ${issue.message}`
    }).join("; ")
  }
  return String(error)
}

export class ToolRegistry extends Context.Service<ToolRegistry, {
  readonly register: (tool: Tool) => Effect.Effect<void>
  readonly unregister: (name: string) => Effect.Effect<void>
  readonly names: Effect.Effect<ReadonlyArray<string>>
  /** Tool specs for the model, without the excluded names. */
  readonly specs: (exclude?: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<ToolSpec>>
  /** Runs one call; never fails. */
  readonly execute: (call: ToolCall, context: ToolContext) => Effect.Effect<string>
}>()("claw/agent/tools/ToolRegistry") {
  /** A registry holding `tools`. */
  static readonly make = (tools: ReadonlyArray<Tool>) =>
    Effect.sync(() => {
      const byName = new Map<string, { tool: Tool; spec: ToolSpec }>()
      const add = (tool: Tool) => byName.set(tool.name, { tool, spec: toolSpecOf(tool) })
      tools.forEach(add)
      const execute = Effect.fn("ToolRegistry.execute")(function* (call: ToolCall, context: ToolContext) {
        const entry = byName.get(call.name)
        if (entry === undefined) {
          return `Error: there is no tool named "${call.name}". Available: ${
            [...byName.keys()].join(", ")
          }.${ERROR_HINT}`
        }
        let raw: unknown
        try {
          raw = call.arguments.trim() === "" ? {} : JSON.parse(call.arguments)
        } catch (error) {
          return `Error: the arguments of ${call.name} are not valid JSON (${(error as Error).message}).${ERROR_HINT}`
        }
        const decoded = yield* Effect.exit(
          Schema.decodeUnknownEffect(entry.tool.parameters as Schema.Codec<unknown, unknown>)(raw, { errors: "all" }),
        )
        if (Exit.isFailure(decoded)) {
          return `Error: invalid arguments for ${call.name}: ${
            describeArgsError(Cause.squash(decoded.cause))
          }${ERROR_HINT}`
        }
        const result = yield* Effect.exit(entry.tool.execute(decoded.value, context))
        if (Exit.isSuccess(result)) return result.value
        const failure = Cause.squash(result.cause)
        if (Cause.hasInterruptsOnly(result.cause)) return yield* Effect.interrupt
        const message = failure instanceof Error ? failure.message : String(failure)
        return `Error: ${message}${ERROR_HINT}`
      })
      return ToolRegistry.of({
        register: (tool) => Effect.sync(() => void add(tool)),
        unregister: (name) => Effect.sync(() => void byName.delete(name)),
        names: Effect.sync(() => [...byName.keys()]),
        specs: (exclude = []) =>
          Effect.sync(() => [...byName.values()].filter((e) => !exclude.includes(e.tool.name)).map((e) => e.spec)),
        execute,
      })
    })

  static readonly layerFrom = (tools: ReadonlyArray<Tool>) => Layer.effect(ToolRegistry, ToolRegistry.make(tools))
}
