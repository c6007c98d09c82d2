/**
 * A tiny MCP server for tests, built on the official SDK's server side. Its tools pass raw JSON Schemas through
 * `tools/list`, so a client must forward them untouched:
 * - `echo(text)` → "echo: <text>"
 * - `add(a, b)` → the sum, as text
 * - `sleep(ms)` → "slept <ms>" after waiting (for per-call timeouts)
 * - `env(name)` → the server process's value of an environment variable, or "(unset)"
 * - `fail(reason)` → an `isError` result carrying the reason
 * - `exit()` → the process exits at once (the client sees the server die)
 *
 * Stdio (the default): `deno run -A tests/support/mcp_server.ts` (`stdioServer()` is the config entry); when
 * `MCP_PID_FILE` is set the server writes its pid there. HTTP: `startHttpMcpServer()` serves the streamable HTTP transport on 127.0.0.1 and records the headers
 * of every request.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js"
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js"

const object = (properties: Record<string, unknown>, required: ReadonlyArray<string>) => ({
  type: "object",
  properties,
  required,
})

export const TEST_TOOLS = [
  {
    name: "echo",
    description: "Echo the text back",
    inputSchema: object({ text: { type: "string", description: "What to echo", minLength: 1 } }, ["text"]),
  },
  {
    name: "add",
    description: "Add two numbers",
    inputSchema: object({ a: { type: "number" }, b: { type: "number" } }, ["a", "b"]),
  },
  { name: "sleep", description: "Wait, then answer", inputSchema: object({ ms: { type: "integer" } }, ["ms"]) },
  {
    name: "env",
    description: "Read an environment variable",
    inputSchema: object({ name: { type: "string" } }, ["name"]),
  },
  { name: "fail", description: "Return an error result", inputSchema: object({ reason: { type: "string" } }, []) },
  { name: "exit", description: "Exit the server process", inputSchema: object({}, []) },
]

const text = (value: string, isError = false) => ({
  content: [{ type: "text", text: value }],
  ...(isError ? { isError } : {}),
})

interface CallRequest {
  readonly params: { readonly name: string; readonly arguments?: Record<string, unknown> }
}

export const makeTestServer = () => {
  const server = new Server({ name: "claw-test-mcp", version: "1.0.0" }, { capabilities: { tools: {} } })
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TEST_TOOLS }))
  server.setRequestHandler(CallToolRequestSchema, async (request: CallRequest) => {
    const args = (request.params.arguments ?? {}) as Record<string, unknown>
    switch (request.params.name) {
      case "echo":
        return text(`echo: ${String(args.text)}`)
      case "add":
        return text(String(Number(args.a) + Number(args.b)))
      case "sleep":
        await new Promise((resolve) => setTimeout(resolve, Number(args.ms)))
        return text(`slept ${Number(args.ms)}`)
      case "env":
        return text(Deno.env.get(String(args.name)) ?? "(unset)")
      case "fail":
        return text(`failed: ${String(args.reason ?? "no reason")}`, true)
      case "exit":
        setTimeout(() => Deno.exit(3), 10)
        return text("exiting")
      default:
        return text(`unknown tool ${request.params.name}`, true)
    }
  })
  return server
}

/** Deno's cache of the test process, handed to the server (which gets no inherited environment) so it starts offline. */
const denoDir = Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME") ?? "/root"}/.cache/deno`

/** A `tools.mcpServers` entry that runs this server over stdio with `deno run`. */
export const stdioServer = (env: Record<string, string> = {}, timeout = 10) => ({
  command: Deno.execPath(),
  args: [
    "run",
    "-A",
    "--config",
    new URL("../../deno.json", import.meta.url).pathname,
    new URL(import.meta.url).pathname,
  ],
  env: { DENO_DIR: denoDir, ...env },
  timeout,
})

export interface HttpMcpServer {
  readonly url: string
  readonly requestHeaders: Array<Record<string, string>>
  readonly close: () => Promise<void>
}

/** The same tools over streamable HTTP (stateless: a fresh server per request). */
export const startHttpMcpServer = async (): Promise<HttpMcpServer> => {
  const requestHeaders: Array<Record<string, string>> = []
  const listening = Promise.withResolvers<Deno.NetAddr>()
  const httpServer = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: listening.resolve }, async (request) => {
    requestHeaders.push(Object.fromEntries(request.headers))
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true })
    const server = makeTestServer()
    await server.connect(transport)
    return transport.handleRequest(request)
  })
  const { port } = await listening.promise
  return { url: `http://127.0.0.1:${port}/mcp`, requestHeaders, close: () => httpServer.shutdown() }
}

if (import.meta.main) {
  const pidFile = Deno.env.get("MCP_PID_FILE")
  if (pidFile !== undefined) await Deno.writeTextFile(pidFile, String(Deno.pid))
  await makeTestServer().connect(new StdioServerTransport())
}
