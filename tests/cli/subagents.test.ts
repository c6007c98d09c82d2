/**
 * A subagent end to end through `claw gateway`: a WebSocket user asks, the agent spawns a subagent, answers at once,
 * and the subagent's result later reaches the same chat as a new message.
 */
import { assertEquals, assertStringIncludes } from "../support/assert.ts"
import { fakeLlmConfig, MAIN, makeHome, startGateway } from "../support/cli.ts"
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

Deno.test("claw agent in interactive mode prints a subagent's result when it arrives", async () => {
  const llm = await startFakeLlm()
  llm.setHandler((request) => {
    const user = lastUser(request)
    if (user.includes("[Subagent task]")) return { text: "The population is 3.7 million.", delayMs: 300 }
    if (user.startsWith('[Subagent "population" finished]')) return { text: "Berlin has 3.7 million people." }
    return request.body.messages?.at(-1)?.role === "tool"
      ? { text: "I asked a subagent to look it up." }
      : { toolCalls: [{ name: "spawn", arguments: { task: "Find Berlin's population", label: "population" } }] }
  })
  const home = await makeHome(fakeLlmConfig(llm.url))
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "agent", "--no-markdown"],
    env: { ...home.env, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home.home },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn()
  const writer = child.stdin.getWriter()
  let stdout = ""
  const reading = (async () => {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) stdout += chunk
  })()
  try {
    await writer.write(new TextEncoder().encode("How many people live in Berlin?\n"))
    const deadline = Date.now() + 15_000
    while (!stdout.includes("Berlin has 3.7 million people.") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    assertStringIncludes(stdout, "I asked a subagent to look it up.")
    assertStringIncludes(stdout, "Berlin has 3.7 million people.")
    await writer.write(new TextEncoder().encode("exit\n"))
    await writer.close()
    assertEquals((await child.status).code, 0)
  } finally {
    try {
      child.kill()
    } catch {
      // exited
    }
    await reading
    await child.stderr.cancel()
    await home.cleanup()
    await llm.close()
  }
})
