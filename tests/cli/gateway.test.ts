/**
 * `claw gateway` end to end: starts on embedded defaults without a key, serves the WebSocket channel, shuts down
 * gracefully on SIGTERM/SIGINT, and keeps secrets out of its logs.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts"
import { fakeLlmConfig, makeHome, runClaw, startGateway } from "../support/cli.ts"
import { startFakeLlm } from "../support/fake_llm.ts"
import { connectClient } from "../support/ws_client.ts"

Deno.test("claw gateway starts on embedded defaults without a key, says how to add one, and stops on SIGTERM", async () => {
  const home = await makeHome(undefined)
  const gateway = startGateway({ env: { ...home.env, CLAW_CHANNELS__WEBSOCKET__PORT: "0" } })
  try {
    await gateway.waitForLog(/claw gateway started/)
    const logs = gateway.logs()
    assertStringIncludes(logs, "embedded defaults")
    assertStringIncludes(logs, "No API key")
    assertStringIncludes(logs, "OPENROUTER_API_KEY")
    assertStringIncludes(logs, "ws://127.0.0.1:")
    assertEquals(await gateway.stop("SIGTERM"), 0)
    assertStringIncludes(gateway.logs(), "claw gateway stopped")
  } finally {
    await gateway.stop()
    await home.cleanup()
  }
})

Deno.test("claw gateway answers over WebSocket, stops on SIGINT, and never logs the API key", async () => {
  const llm = await startFakeLlm()
  const secret = "sk-test-secret-do-not-log-1234567890"
  const config = fakeLlmConfig(llm.url, { channels: { websocket: { port: 0 } } })
  ;(config.providers.custom as { apiKey: string }).apiKey = secret
  const home = await makeHome(config)
  const gateway = startGateway({ env: home.env, args: ["--log-format", "json", "--log-level", "debug"] })
  try {
    const [, url] = await gateway.waitForLog(/(ws:\/\/127\.0\.0\.1:\d+\/ws)/)
    const client = await connectClient(url!, { senderId: "alice" })
    client.send({ type: "chat.send", content: "What is 2+2?", messageId: "q1" })
    const answer = await client.next((f) => f.type === "chat.response" && f.messageId === "q1")
    assertEquals(answer.content, "4")
    llm.setHandler(() => ({ status: 401, body: { error: { message: `invalid key ${secret}` } } }))
    client.send({ type: "chat.send", content: "again", messageId: "q2" })
    const error = await client.next((f) => f.type === "chat.error" && f.messageId === "q2")
    assertEquals(error.error?.includes(secret), false)
    client.close()
    await client.closed
    assertEquals(await gateway.stop("SIGINT"), 0)
    const logs = gateway.logs()
    assertEquals(logs.includes(secret), false, "the key must not appear in any log line")
    const lines = logs.trim().split("\n").filter((l) => l.startsWith("{"))
    assert(lines.length > 0, "json log lines")
    for (const line of lines) assert(typeof JSON.parse(line).level === "string")
  } finally {
    await gateway.stop()
    await home.cleanup()
    await llm.close()
  }
})

Deno.test("claw gateway refuses to start with a broken config and names every problem", async () => {
  const home = await makeHome({
    channels: { websocket: { port: "eighty" } },
    agents: { defaults: { temperature: -1 } },
  })
  const gateway = startGateway({ env: home.env })
  try {
    const code = await gateway.stop("SIGCONT")
    assertEquals(code, 1)
    assertStringIncludes(gateway.logs(), `channels.websocket.port: expected number, got "eighty"`)
    assertStringIncludes(gateway.logs(), "agents.defaults.temperature")
  } finally {
    await home.cleanup()
  }
})

Deno.test("claw gateway keeps running when a channel cannot start, and status commands say why", async () => {
  const blocker = Deno.listen({ hostname: "127.0.0.1", port: 0 })
  const port = (blocker.addr as Deno.NetAddr).port
  const home = await makeHome({ channels: { websocket: { port } } })
  const gateway = startGateway({ env: home.env })
  try {
    await gateway.waitForLog(/Channel websocket cannot run: .*already in use/)
    await gateway.waitForLog(/claw gateway started/)
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    const channels = await runClaw(["channels", "status"], { env: home.env })
    assertEquals(channels.code, 0, channels.stderr)
    assertStringIncludes(channels.stdout, "Gateway running")
    assertStringIncludes(channels.stdout, "websocket: disconnected")
    assertStringIncludes(channels.stdout, `Cannot listen on 127.0.0.1:${port}: the address is already in use`)
    const status = await runClaw(["status"], { env: home.env })
    assertStringIncludes(status.stdout, "Gateway running")
    assertStringIncludes(status.stdout, "already in use")
    assertEquals(await gateway.stop("SIGTERM"), 0, "the gateway was still up")
    const after = await runClaw(["channels", "status"], { env: home.env })
    assertStringIncludes(after.stdout, "Gateway not running")
  } finally {
    await gateway.stop()
    blocker.close()
    await home.cleanup()
  }
})
