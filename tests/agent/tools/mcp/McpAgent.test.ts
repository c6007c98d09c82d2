/**
 * MCP end to end through `claw agent`: the stdio test server from tests/support, configured in config.json, shows
 * its tools to the (fake) model as `mcp_<server>_<tool>` with their JSON Schemas, and the model's call reaches the
 * server and comes back as the tool result.
 */
import { assert, assertEquals } from "../../../support/assert.ts"
import { fakeLlmConfig, makeHome, runClaw } from "../../../support/cli.ts"
import { startFakeLlm } from "../../../support/fake_llm.ts"
import { stdioServer, TEST_TOOLS } from "../../../support/mcp_server.ts"

interface OfferedTool {
  readonly function: { readonly name: string; readonly parameters: unknown }
}

Deno.test("claw agent offers MCP tools to the model and runs the model's call on the server", async () => {
  const llm = await startFakeLlm()
  const home = await makeHome(fakeLlmConfig(llm.url, { tools: { mcpServers: { notes: stdioServer() } } }))
  try {
    llm.script(
      { toolCalls: [{ name: "mcp_notes_echo", arguments: { text: "from the model" } }] },
      { toolCalls: [{ name: "mcp_notes_add", arguments: { a: 20, b: 22 } }] },
      { text: "Done." },
    )
    const result = await runClaw(["agent", "-m", "Use the notes server"], { env: home.env })
    assertEquals(result.code, 0, result.stderr)
    assertEquals(result.stdout.trim(), "Done.")
    const offered = llm.requests[0]!.body.tools as ReadonlyArray<OfferedTool>
    const echo = offered.find((tool) => tool.function.name === "mcp_notes_echo")
    assert(echo !== undefined, "the MCP tool is offered")
    assertEquals(echo.function.parameters, TEST_TOOLS[0]!.inputSchema)
    const toolResults = llm.requests.slice(1).map((r) =>
      r.body.messages?.filter((m) => m.role === "tool").at(-1)?.content
    )
    assertEquals(toolResults, ["echo: from the model", "42"])
  } finally {
    await home.cleanup()
    await llm.close()
  }
})
