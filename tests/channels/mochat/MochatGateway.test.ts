/**
 * End to end: the real `claw gateway` (a subprocess with its own CLAW_HOME and SQLite store), configured as the
 * seed's complete example but pointed at the fake Mochat and the fake LLM, answers a Mochat session; after a
 * restart it answers only what arrived while it was down (the cursors survived in the store), and the token
 * never reaches a log line.
 */
import { assert, assertEquals } from "../../support/assert.ts"
import { startGateway as startClaw } from "../../support/cli.ts"
import { startFakeLlm } from "../../support/fake_llm.ts"
import { AGENT, type FakeMochat, startFakeMochat } from "../../support/fake_mochat.ts"
import { sleep, subscribedTo, until } from "./harness.ts"

const TOKEN = "claw_e2eSecretToken42"

const startGateway = (configPath: string, home: string) =>
  startClaw({ env: { CLAW_HOME: home, NO_COLOR: "1" }, args: ["--config", configPath] })

const sessionSends = (fake: FakeMochat) => fake.sends.filter((s) => s.path === "/api/claw/sessions/send")

Deno.test("claw gateway answers a Mochat session and, after a restart, answers nothing twice", async () => {
  const llm = await startFakeLlm()
  const fake = await startFakeMochat({ token: TOKEN, sessions: ["session_e2e"], panels: ["panel_1"] })
  const home = await Deno.makeTempDir({ prefix: "claw-mochat-e2e-" })
  const configPath = `${home}/config.json`
  await Deno.writeTextFile(
    configPath,
    JSON.stringify({
      providers: { custom: { apiKey: "test-key", apiBase: llm.url } },
      agents: { defaults: { model: "test-model", provider: "custom" } },
      channels: {
        websocket: { enabled: false },
        mochat: {
          enabled: true,
          base_url: fake.url,
          socket_url: fake.url,
          socket_path: "/socket.io",
          claw_token: TOKEN,
          agent_user_id: AGENT,
          sessions: ["*"],
          panels: ["*"],
          reply_delay_mode: "non-mention",
          reply_delay_ms: 120000,
        },
      },
    }),
  )
  let gateway = startGateway(configPath, home)
  try {
    await until(() => subscribedTo(fake, "sessions").length === 1, "the gateway's subscription", 30_000)
    fake.userSays("session_e2e", "alice", "What is 2+2?")
    await until(() => sessionSends(fake).length === 1, "the answer", 15_000)
    assertEquals(sessionSends(fake)[0]!.body, { sessionId: "session_e2e", content: "4" })
    await sleep(200)
    assertEquals(await gateway.stop(), 0)
    assert(!gateway.logs().includes(TOKEN), "the token never reaches the logs")

    fake.userSays("session_e2e", "alice", "My name is Alice")
    gateway = startGateway(configPath, home)
    await until(() => subscribedTo(fake, "sessions").length === 2, "the second subscription", 30_000)
    assertEquals(subscribedTo(fake, "sessions")[1]!.payload.cursors, { session_e2e: 2 })
    await until(() => sessionSends(fake).length === 2, "the answer to the message sent while down", 15_000)
    await sleep(300)
    assertEquals(sessionSends(fake).map((s) => s.body.content), ["4", "Nice to meet you, Alice."])
    assertEquals(llm.requests.filter((r) => r.path.endsWith("/chat/completions")).length, 2)
  } finally {
    await gateway.stop()
    await fake.close()
    await llm.close()
    await Deno.remove(home, { recursive: true }).catch(() => {})
  }
})
