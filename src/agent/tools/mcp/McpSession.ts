/**
 * One live connection to an MCP server through the official SDK's `Client`: stdio (`command`, `args`, `env`) or
 * streamable HTTP (`url`, `headers`). The connection lives in the caller's scope (closing it closes the client and
 * stops a stdio server); `closed` completes when the server goes away. Everything the server sends back — its
 * tool list, call results — is decoded with `Schema`, and the SDK's exceptions become `McpError`s here, once. The
 * SDK is loaded when the first server connects, so a config without MCP servers never loads it.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { McpServerConfig } from "../../../config/ConfigSchema.ts"
import { Environment } from "../../../platform/Environment.ts"
import { VERSION } from "../../../version.ts"
import { makeStdioTransport } from "./StdioTransport.ts"

export class McpError extends Schema.TaggedError<McpError>()("McpError", {
  server: Schema.String,
  reason: Schema.Literals(["Config", "Connect", "Call", "Timeout", "Protocol"]),
  message: Schema.String,
}) {}

export const McpToolInfo = Schema.Struct({
  name: Schema.String,
  description: Schema.optionalKey(Schema.String),
  inputSchema: Schema.Record(Schema.String, Schema.Unknown),
})
export type McpToolInfo = typeof McpToolInfo.Type

const ListToolsResult = Schema.Struct({
  tools: Schema.Array(Schema.Unknown),
  nextCursor: Schema.optionalKey(Schema.String),
})

export const CallToolResult = Schema.Struct({
  content: Schema.optionalKey(Schema.Array(Schema.Unknown)),
  structuredContent: Schema.optionalKey(Schema.Unknown),
  isError: Schema.optionalKey(Schema.Boolean),
})
export type CallToolResult = typeof CallToolResult.Type

export interface McpSession {
  readonly server: string
  readonly tools: ReadonlyArray<McpToolInfo>
  readonly callTool: (name: string, args: Readonly<Record<string, unknown>>) => Effect.Effect<CallToolResult, McpError>
  readonly ping: Effect.Effect<void, McpError>
  /** Completes when the connection is gone. */
  readonly closed: Effect.Effect<void>
}

type ServerConfig = typeof McpServerConfig.Type

const describe = (cause: unknown) => cause instanceof Error ? cause.message : String(cause)
const isTimeout = (cause: unknown) => /timed? ?out/i.test(describe(cause))

/** Connects and lists the tools; fails with `McpError` when the server cannot be reached or answers nonsense. */
export const connectMcpServer = Effect.fn("connectMcpServer")(function* (server: string, config: ServerConfig) {
  const env = yield* Environment
  const timeoutMs = config.timeout * 1000
  const failure = (reason: McpError["reason"], what: string) => (cause: unknown) =>
    new McpError({
      server,
      reason: reason === "Call" && isTimeout(cause) ? "Timeout" : reason,
      message: `${what}: ${describe(cause)}`,
    })
  const [{ Client }, { StreamableHTTPClientTransport }] = yield* Effect.promise(() =>
    Promise.all([
      import("@modelcontextprotocol/sdk/client/index.js"),
      import("@modelcontextprotocol/sdk/client/streamableHttp.js"),
    ])
  )
  let transport: Transport
  if (config.command !== undefined) {
    const base = { PATH: env.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin", HOME: env.get("HOME") ?? env.homeDir }
    transport = yield* makeStdioTransport({
      command: config.command,
      args: config.args,
      env: { ...base, ...config.env },
    })
      .pipe(Effect.mapError(failure("Connect", `cannot start "${config.command}"`)))
  } else if (config.url !== undefined) {
    const url = yield* Effect.try({ try: () => new URL(config.url!), catch: failure("Config", "invalid url") })
    transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { ...config.headers } } })
  } else {
    return yield* new McpError({ server, reason: "Config", message: "set either command (stdio) or url (HTTP)" })
  }
  const client = new Client({ name: "claw", version: VERSION }, { capabilities: {} })
  const closed = yield* Deferred.make<void>()
  client.onclose = () => Deferred.doneUnsafe(closed, Effect.void)
  client.onerror = () => {}
  yield* Effect.acquireRelease(
    Effect.tryPromise({
      try: () => client.connect(transport, { timeout: timeoutMs }),
      catch: failure("Connect", "cannot connect"),
    }),
    () => Effect.tryPromise(() => client.close()).pipe(Effect.timeout(Duration.seconds(5)), Effect.ignore),
  )

  const request = <A>(what: string, send: (signal: AbortSignal) => Promise<unknown>, schema: Schema.Codec<A>) =>
    Effect.tryPromise({ try: send, catch: failure("Call", what) }).pipe(
      Effect.timeoutOrElse({
        duration: Duration.millis(timeoutMs + 1000),
        orElse: () => Effect.fail(new McpError({ server, reason: "Timeout", message: `${what}: timed out` })),
      }),
      Effect.flatMap((raw) =>
        Schema.decodeUnknownEffect(schema)(raw).pipe(
          Effect.mapError((error) =>
            new McpError({ server, reason: "Protocol", message: `${what}: ${error.message}` })
          ),
        )
      ),
    )

  const tools: Array<McpToolInfo> = []
  let cursor: string | undefined
  do {
    const page = yield* request(
      "list tools",
      (signal) => client.listTools(cursor === undefined ? undefined : { cursor }, { signal, timeout: timeoutMs }),
      ListToolsResult,
    )
    for (const raw of page.tools) {
      const decoded = Schema.decodeUnknownOption(McpToolInfo)(raw)
      if (decoded._tag === "Some") tools.push(decoded.value)
      else yield* Effect.logWarning(`MCP server ${server}: skipping a tool without a usable name or inputSchema`)
    }
    cursor = page.nextCursor
  } while (cursor !== undefined)

  return {
    server,
    tools,
    callTool: (name, args) =>
      request(
        `call ${name}`,
        (signal) => client.callTool({ name, arguments: { ...args } }, undefined, { signal, timeout: timeoutMs }),
        CallToolResult,
      ),
    ping: request("ping", (signal) => client.ping({ signal, timeout: timeoutMs }), Schema.Unknown).pipe(Effect.asVoid),
    closed: Deferred.await(closed),
  } satisfies McpSession
})
