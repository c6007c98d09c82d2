/**
 * The messages between the gateway and the tool sandbox worker (`toolWorker.ts`). Both sides decode what they
 * receive with these Schemas. The worker gets only what its tools need: the workspace, the home directory for `~`,
 * the `tools` section of the config without `exec` and MCP servers, and the Brave key when one is set — never the
 * provider keys or channel tokens.
 */
import * as Schema from "effect/Schema"

/** The tools that run inside the worker. */
export const SANDBOXED_TOOLS = ["read_file", "write_file", "edit_file", "list_dir", "web_search", "web_fetch"] as const

export const WorkerInit = Schema.Struct({
  _tag: Schema.Literal("Init"),
  workspace: Schema.String,
  homeDir: Schema.String,
  os: Schema.String,
  arch: Schema.String,
  configPath: Schema.String,
  /** The encoded `tools` section of config.json, `exec` and `mcpServers` removed. */
  tools: Schema.Record(Schema.String, Schema.Unknown),
  braveApiKey: Schema.optionalKey(Schema.String),
})
export type WorkerInit = typeof WorkerInit.Type

export const WorkerCall = Schema.Struct({
  _tag: Schema.Literal("Call"),
  id: Schema.Number,
  name: Schema.String,
  /** The arguments as decoded by the tool's parameter Schema in the gateway (plain JSON values). */
  args: Schema.Unknown,
})

export const WorkerCancel = Schema.Struct({ _tag: Schema.Literal("Cancel"), id: Schema.Number })

export const ToWorker = Schema.Union([WorkerInit, WorkerCall, WorkerCancel])
export type ToWorker = typeof ToWorker.Type

export const FromWorker = Schema.Union([
  Schema.Struct({ _tag: Schema.Literal("Ready") }),
  Schema.Struct({ _tag: Schema.Literal("InitFailed"), message: Schema.String }),
  Schema.Struct({ _tag: Schema.Literal("Result"), id: Schema.Number, ok: Schema.Boolean, text: Schema.String }),
])
export type FromWorker = typeof FromWorker.Type
