/**
 * MCP servers through the manager, against the SDK-based test server (tests/support/mcp_server.ts) run with
 * `deno run` over stdio, and its streamable HTTP variant: tools appear as `mcp_<server>_<tool>` with the server's
 * JSON Schemas, calls answer through the registry, the per-call timeout holds, the server sees only the configured
 * environment, a killed server's tools go away and come back after the restart, and a broken server never affects
 * another.
 */
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Schedule from "effect/Schedule"
import { McpManager } from "../../../../src/agent/tools/mcp/McpManager.ts"
import { ToolRegistry } from "../../../../src/agent/tools/ToolRegistry.ts"
import { AppConfig } from "../../../../src/config/AppConfig.ts"
import { decodeConfigValue } from "../../../../src/config/decodeConfig.ts"
import { Environment } from "../../../../src/platform/Environment.ts"
import { assert, assertEquals, assertStringIncludes } from "../../../support/assert.ts"
import { waitUntil } from "../../../support/agent_runtime.ts"
import { startHttpMcpServer, stdioServer, TEST_TOOLS } from "../../../support/mcp_server.ts"
import type { ToolContext } from "../../../../src/agent/tools/Tool.ts"

const makeManager = async (mcpServers: Record<string, unknown>) => {
  const home = await Deno.makeTempDir({ prefix: "claw-mcp-" })
  const decoded = decodeConfigValue({ tools: { mcpServers } })
  if (decoded._tag !== "Ok") throw new Error(decoded.problems.join("; "))
  const layer = Layer.effect(
    McpManager,
    McpManager.make({ restartSchedule: Schedule.spaced("100 millis"), healthInterval: "1 hour" }),
  ).pipe(
    Layer.provideMerge(ToolRegistry.layerFrom([])),
    Layer.provideMerge(Layer.mergeAll(
      AppConfig.layerTest({ home, config: decoded.config }),
      Environment.layerTest({ PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home, LEAKED_KEY: "sk-leak" }),
      NodeServices.layer,
    )),
  )
  const runtime = ManagedRuntime.make(layer)
  const { registry, manager } = await runtime.runPromise(Effect.gen(function* () {
    return { registry: yield* ToolRegistry, manager: yield* McpManager }
  }))
  const context: ToolContext = { channel: "cli", chatId: "direct", sessionKey: "cli:direct", delivered: new Set() }
  return {
    registry,
    names: () => runtime.runPromise(registry.names),
    status: () => runtime.runPromise(manager.status),
    call: (name: string, args: unknown) =>
      runtime.runPromise(registry.execute({ id: "c1", name, arguments: JSON.stringify(args) }, context)),
    dispose: async () => {
      await runtime.dispose()
      await Deno.remove(home, { recursive: true })
    },
  }
}

Deno.test("McpManager registers a stdio server's tools as mcp_<server>_<tool> with their JSON Schemas", async () => {
  const mcp = await makeManager({ "test-srv": stdioServer({ GREETING: "hello" }) })
  try {
    const names = (await mcp.names()).filter((name) => name.startsWith("mcp_")).sort()
    assertEquals(names, TEST_TOOLS.map((tool) => `mcp_test-srv_${tool.name}`).sort())
    const specs = await Effect.runPromise(mcp.registry.specs())
    const echo = specs.find((spec) => spec.name === "mcp_test-srv_echo")!
    assertEquals(echo.parameters, TEST_TOOLS[0]!.inputSchema)
    assertStringIncludes(echo.description, "Echo the text back")
    assertEquals(await mcp.call("mcp_test-srv_add", { a: 2, b: 40 }), "42")
    assertEquals(await mcp.call("mcp_test-srv_echo", { text: "hi" }), "echo: hi")
    assertStringIncludes(await mcp.call("mcp_test-srv_fail", { reason: "nope" }), "reported an error: failed: nope")
    assertEquals(await mcp.call("mcp_test-srv_env", { name: "GREETING" }), "hello")
    assertEquals(await mcp.call("mcp_test-srv_env", { name: "LEAKED_KEY" }), "(unset)")
    Deno.env.set("CLAW_MCP_TEST_SECRET", "sk-from-the-gateway")
    assertEquals(await mcp.call("mcp_test-srv_env", { name: "CLAW_MCP_TEST_SECRET" }), "(unset)")
    assert((await mcp.call("mcp_test-srv_env", { name: "PATH" })).length > 0)
  } finally {
    Deno.env.delete("CLAW_MCP_TEST_SECRET")
    await mcp.dispose()
  }
})

Deno.test("McpManager gives up on a call after the server's timeout and the server stays usable", async () => {
  const mcp = await makeManager({ slow: stdioServer({}, 1) })
  try {
    const started = Date.now()
    const result = await mcp.call("mcp_slow_sleep", { ms: 5_000 })
    const took = Date.now() - started
    assertStringIncludes(result, "MCP tool sleep on slow timed out after 1 s")
    assert(took >= 900 && took < 3_000, `the call ended after ${took} ms`)
    assertEquals(await mcp.call("mcp_slow_sleep", { ms: 10 }), "slept 10")
  } finally {
    await mcp.dispose()
  }
})

Deno.test("McpManager unregisters a dead server's tools and brings them back after restarting it", async () => {
  const pidFile = `${await Deno.makeTempDir({ prefix: "claw-mcp-pid-" })}/pid`
  const mcp = await makeManager({ flaky: stdioServer({ MCP_PID_FILE: pidFile }) })
  try {
    const firstPid = Number(await Deno.readTextFile(pidFile))
    assert((await mcp.names()).includes("mcp_flaky_echo"))
    Deno.kill(firstPid, "SIGKILL")
    await waitUntil("the tools are gone", async () => !(await mcp.names()).includes("mcp_flaky_echo"))
    assertStringIncludes(await mcp.call("mcp_flaky_echo", { text: "x" }), 'there is no tool named "mcp_flaky_echo"')
    await waitUntil("the tools are back", async () => (await mcp.names()).includes("mcp_flaky_echo"), 20_000)
    assert(Number(await Deno.readTextFile(pidFile)) !== firstPid, "a new server process")
    assertEquals(await mcp.call("mcp_flaky_echo", { text: "again" }), "echo: again")
    assertStringIncludes(await mcp.call("mcp_flaky_exit", {}), "exiting")
    await waitUntil("gone after exiting", async () => !(await mcp.names()).includes("mcp_flaky_echo"))
    await waitUntil("back again", async () => (await mcp.names()).includes("mcp_flaky_echo"), 20_000)
    assertEquals((await mcp.status())[0]?.connections, 3)
  } finally {
    await mcp.dispose()
  }
})

Deno.test("McpManager connects over streamable HTTP with the configured headers; a broken server harms no other", async () => {
  const http = await startHttpMcpServer()
  const mcp = await makeManager({
    remote: { url: http.url, headers: { Authorization: "Bearer test-token" }, timeout: 5 },
    missing: { command: "/nonexistent/mcp-server", timeout: 5 },
    empty: {},
  })
  try {
    assertEquals(await mcp.call("mcp_remote_add", { a: 1, b: 2 }), "3")
    assert(http.requestHeaders.length > 0)
    assert(http.requestHeaders.every((headers) => headers.authorization === "Bearer test-token"))
    const statuses = Object.fromEntries((await mcp.status()).map((status) => [status.server, status]))
    assertEquals(statuses.remote?.state, "connected")
    assertEquals(statuses.missing?.state, "down")
    assertStringIncludes(statuses.missing?.error ?? "", "/nonexistent/mcp-server")
    assertStringIncludes(statuses.empty?.error ?? "", "set either command (stdio) or url (HTTP)")
  } finally {
    await mcp.dispose()
    await http.close()
  }
})
