/**
 * What a tool is: a name, a description, its parameters as a Schema (sent to the model as JSON Schema) and an
 * effect that runs it. Tools are built by effects that pick up the services they need, so `execute` needs none.
 * A tool reports expected failures as `ToolError`; the registry turns them into text for the model.
 */
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

/** Where the turn that called the tool came from, and what it has done so far. */
export interface ToolContext {
  readonly channel: string
  readonly chatId: string
  readonly accountId?: string
  readonly sessionKey: string
  /** Inbound message id of the turn. */
  readonly messageId?: string
  /** Chats the message tool delivered to during this turn (`"<channel>:<chatId>"`). */
  readonly delivered: Set<string>
}

export class ToolError extends Schema.TaggedError<ToolError>()("ToolError", {
  message: Schema.String,
}) {}

export interface Tool {
  readonly name: string
  readonly description: string
  readonly parameters: Schema.Top
  /** Sent to the model instead of `parameters` as JSON Schema (tools described by others, e.g. MCP servers). */
  readonly jsonSchema?: Readonly<Record<string, unknown>>
  readonly execute: (args: unknown, context: ToolContext) => Effect.Effect<string, ToolError>
}

/** Defines a tool whose `execute` receives the decoded parameters. */
export const makeTool = <S extends Schema.Top & { readonly DecodingServices: never }>(definition: {
  readonly name: string
  readonly description: string
  readonly parameters: S
  readonly execute: (args: S["Type"], context: ToolContext) => Effect.Effect<string, ToolError>
}): Tool => definition as unknown as Tool

/** Any JSON object: the arguments of a tool whose parameters are a raw JSON Schema checked by its owner. */
export const JsonObjectArgs = Schema.Record(Schema.String, Schema.Unknown)

/**
 * Defines a tool described by a raw JSON Schema (passed to the model untouched); `execute` receives the arguments
 * as a JSON object, and whoever owns the schema validates them.
 */
export const makeJsonSchemaTool = (definition: {
  readonly name: string
  readonly description: string
  readonly jsonSchema: Readonly<Record<string, unknown>>
  readonly execute: (args: Readonly<Record<string, unknown>>, context: ToolContext) => Effect.Effect<string, ToolError>
}): Tool => ({ ...definition, parameters: JsonObjectArgs }) as unknown as Tool
