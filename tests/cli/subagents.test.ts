/**
 * A subagent end to end through `claw gateway`: a WebSocket user asks, the agent spawns a subagent, answers at once,
 * and the subagent's result later reaches the same chat as a new message.
 */
import { assertEquals, assertStringIncludes } from "../support/assert.ts"
import { fakeLlmConfig, makeHome, startGateway } from "../support/cli.ts"
import { type RecordedRequest, startFakeLlm } from "../support/fake_llm.ts"
import { connectClient } from "../support/ws_client.ts"

const lastUser = (request: RecordedRequest) =>
  String([...(request.body.messages ?? [])].reverse().find((m) => m.role === "user")?.content ?? "")

Deno.test("claw gateway delivers a subagent's result to the chat that spawned it", async () => {
  const llm = await startFakeLlm()
  llm.setHandler((request) => {
    const user = lastUser(request)
    if (user.includes("[Subagent task]")) return { text: "The population is 3.7 million." }
    if (user.startsWith('[Subagent "population" finished]')) return { text: "Berlin has 3.7 million people." }
    return request.body.messages?.at(-1)?.role === "tool"
      ? { text: "I asked a subagent to look it up." }
      : { toolCalls: [{ name: "spawn", arguments: { task: "Find Berlin's population", label: "population" } }] }
  })
  const home = await makeHome(fakeLlmConfig(llm.url, { channels: { websocket: { port: 0 } } }))
  const gateway = startGateway({ env: home.env })
  try {
    const [, url] = await gateway.waitForLog(/(ws:\/\/127\.0\.0\.1:\d+\/ws)/)
    const client = await connectClient(url!, { senderId: "alice" })
    client.send({ type: "chat.send", content: "How many people live in Berlin?", messageId: "q1" })
    const first = await client.next((f) => f.type === "chat.response" && f.messageId === "q1", 15_000)
    assertEquals(first.content, "I asked a subagent to look it up.")
    const later = await client.next((f) => f.type === "chat.response" && f.content?.includes("3.7") === true, 15_000)
    assertEquals(later.content, "Berlin has 3.7 million people.")
    const report = llm.requests.map(lastUser).find((text) => text.startsWith(`[Subagent "`))
    assertStringIncludes(report ?? "", "The population is 3.7 million.")
    client.close()
    await client.closed
  } finally {
    await gateway.stop()
    await home.cleanup()
    await llm.close()
  }
})
