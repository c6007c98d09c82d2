/**
 * An MCP server's tools as claw tools: named `mcp_<server>_<tool>` (characters a model API rejects become `_`, the
 * whole name at most 64 characters), described by the server's own JSON Schema (passed to the model untouched;
 * the server validates the arguments), and answering with the text of the result. An `isError` result, a failed
 * call and a call that runs past the server's `timeout` become a `ToolError` the model can read.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { makeJsonSchemaTool, type Tool, ToolError } from "../Tool.ts"
import type { CallToolResult, McpSession, McpToolInfo } from "./McpSession.ts"

export const MCP_MAX_RESULT_CHARS = 30_000
const MAX_NAME = 64

const sanitize = (part: string) => part.replace(/[^a-zA-Z0-9_-]/g, "_")

export const mcpToolName = (server: string, tool: string) =>
  `mcp_${sanitize(server)}_${sanitize(tool)}`.slice(0, MAX_NAME)

const TextPart = Schema.Struct({ type: Schema.Literal("text"), text: Schema.String })
const MediaPart = Schema.Struct({ type: Schema.Literals(["image", "audio"]), mimeType: Schema.String })
const ResourcePart = Schema.Struct({
  type: Schema.Literal("resource"),
  resource: Schema.Struct({ uri: Schema.String, text: Schema.optionalKey(Schema.String) }),
})
const LinkPart = Schema.Struct({ type: Schema.Literal("resource_link"), uri: Schema.String })
const ContentPart = Schema.Union([TextPart, MediaPart, ResourcePart, LinkPart])
const decodePart = Schema.decodeUnknownOption(ContentPart)

const renderPart = (raw: unknown): string => {
  const part = decodePart(raw)
  if (part._tag === "None") return "[unsupported content]"
  const value = part.value
  switch (value.type) {
    case "text":
      return value.text
    case "image":
    case "audio":
      return `[${value.type} content: ${value.mimeType}]`
    case "resource":
      return value.resource.text ?? `[resource ${value.resource.uri}]`
    case "resource_link":
      return `[resource link ${value.uri}]`
  }
}

/** The result's content as text (structured content as JSON when there is no content), capped. */
export const renderResult = (result: CallToolResult) => {
  const parts = (result.content ?? []).map(renderPart)
  let text = parts.join("\n")
  if (text === "" && result.structuredContent !== undefined) text = JSON.stringify(result.structuredContent)
  if (text === "") text = "(no output)"
  return text.length > MCP_MAX_RESULT_CHARS
    ? `${text.slice(0, MCP_MAX_RESULT_CHARS)}\n... [truncated: ${text.length - MCP_MAX_RESULT_CHARS} more characters]`
    : text
}

export const mcpTool = (session: McpSession, info: McpToolInfo, timeoutS: number): Tool =>
  makeJsonSchemaTool({
    name: mcpToolName(session.server, info.name),
    description: `${info.description ?? info.name} (MCP server ${session.server})`,
    jsonSchema: { type: "object", properties: {}, ...info.inputSchema },
    execute: (args) =>
      session.callTool(info.name, args).pipe(
        Effect.mapError((error) =>
          new ToolError({
            message: error.reason === "Timeout"
              ? `MCP tool ${info.name} on ${session.server} timed out after ${timeoutS} s`
              : `MCP tool ${info.name} on ${session.server} failed: ${error.message}`,
          })
        ),
        Effect.flatMap((result) =>
          result.isError === true
            ? Effect.fail(
              new ToolError({ message: `MCP tool ${info.name} reported an error: ${renderResult(result)}` }),
            )
            : Effect.succeed(renderResult(result))
        ),
        Effect.withSpan("mcpTool", { attributes: { server: session.server, tool: info.name } }),
      ),
  })
