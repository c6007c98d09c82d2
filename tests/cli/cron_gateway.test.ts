/**
 * Cron end to end with a running `claw gateway`: a job added by the CLI while the gateway runs is picked up without
 * a restart and its answer reaches a WebSocket client; `claw cron run` goes through the gateway; a job the model
 * creates from a WebSocket chat (the `cron` tool) delivers to that chat.
 */
import { assertEquals, assertStringIncludes } from "../support/assert.ts"
import { fakeLlmConfig, makeHome, runClaw, startGateway } from "../support/cli.ts"
import { startFakeLlm } from "../support/fake_llm.ts"
import { connectClient } from "../support/ws_client.ts"

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString()

Deno.test("claw cron jobs added while the gateway runs are delivered to a WebSocket client", async () => {
  const llm = await startFakeLlm()
  const home = await makeHome(fakeLlmConfig(llm.url, { channels: { websocket: { port: 0 } } }))
  const gateway = startGateway({ env: home.env })
  try {
    const [, url] = await gateway.waitForLog(/(ws:\/\/127\.0\.0\.1:\d+\/ws)/)
    const bob = await connectClient(url!, { senderId: "bob" })
    await bob.next((frame) => frame.content?.startsWith("Connected") === true)
    const added = await runClaw(
      [
        "cron",
        "add",
        "--name",
        "sum",
        "-m",
        "What is 2+2?",
        "--at",
        inSeconds(3),
        "--deliver",
        "--channel",
        "websocket",
        "--to",
        "bob",
      ],
      { env: home.env },
    )
    assertEquals(added.code, 0, added.stderr)
    const pushed = await bob.next((frame) => frame.type === "chat.response", 15_000)
    assertEquals(pushed.content, "4")
    const list = await runClaw(["cron", "list"], { env: home.env })
    assertStringIncludes(list.stdout, "[disabled]")
    assertStringIncludes(list.stdout, "ok: 4")

    const hourly = await runClaw(
      [
        "cron",
        "add",
        "--name",
        "hello",
        "-m",
        "My name is Bob",
        "--every",
        "3600",
        "--deliver",
        "--channel",
        "websocket",
        "--to",
        "bob",
      ],
      { env: home.env },
    )
    const id = hourly.stdout.match(/Added cron job ([0-9a-f]{8})\./)![1]!
    const run = await runClaw(["cron", "run", id], { env: home.env })
    assertEquals(run.code, 0, run.stderr)
    assertStringIncludes(run.stderr, "Asked the running gateway")
    assertStringIncludes(run.stdout, "Bob")
    const second = await bob.next((frame) => frame.type === "chat.response", 10_000)
    assertEquals(second.content, run.stdout.trim())

    llm.script(
      { toolCalls: [{ name: "cron", arguments: { action: "add", message: "What is 2+2?", at: inSeconds(2) } }] },
      { text: "I will remind you." },
    )
    bob.send({ type: "chat.send", content: "Ask yourself 2+2 in two seconds", messageId: "m1" })
    const ack = await bob.next((frame) => frame.type === "chat.response" && frame.messageId === "m1", 10_000)
    assertEquals(ack.content, "I will remind you.")
    const reminder = await bob.next((frame) => frame.type === "chat.response" && frame.messageId !== "m1", 15_000)
    assertEquals(reminder.content, "4")
    await gateway.waitForLog(/answered \(to websocket:bob\): 4[\s\S]*answered \(to websocket:bob\): 4/, 5_000)
    bob.close()
    await bob.closed
    assertEquals(await gateway.stop("SIGTERM"), 0)
  } finally {
    await gateway.stop()
    await home.cleanup()
    await llm.close()
  }
})
