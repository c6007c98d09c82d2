/**
 * socket-chat through the real `claw` CLI (main.ts subprocesses sharing one CLAW_HOME): pairing end to end while a
 * gateway runs (code to the stranger, `claw pairing approve --notify`, the approved sender answered without a
 * restart, `claw channels status`), and `claw message send` / `claw channels probe` without a gateway.
 */
import { assert, assertEquals, assertStringIncludes } from "../../support/assert.ts"
import { fakeLlmConfig, makeHome, runClaw, startGateway, type TestHome } from "../../support/cli.ts"
import { startFakeLlm } from "../../support/fake_llm.ts"
import { startBroker, type TestBroker } from "../../support/mqtt_broker.ts"
import {
  type BackendParams,
  connectPlatform,
  imMessage,
  mqttParams,
  type Platform,
  PLATFORM_USER,
  startBackend,
  type TestBackend,
} from "../../support/socket_chat_backend.ts"
import { until } from "./_harness.ts"

interface Setup {
  readonly home: TestHome
  readonly broker: TestBroker
  readonly backend: TestBackend
  readonly params: Readonly<Record<string, BackendParams>>
  readonly platforms: Readonly<Record<string, Platform>>
  readonly llmUrl: string
}

const withSetup = (socketChat: Record<string, unknown>, body: (setup: Setup) => Promise<void>) => async () => {
  const llm = await startFakeLlm({ instant: false })
  const backend = await startBackend()
  const broker = await startBroker({ users: { [PLATFORM_USER.username]: PLATFORM_USER.password } })
  const ids = ["default", ...Object.keys((socketChat.accounts ?? {}) as object)]
  const params = Object.fromEntries(ids.map((id) => [id, mqttParams(broker.port, id)]))
  for (const id of ids) {
    broker.allow(params[id]!.username, params[id]!.password)
    backend.register(`key-${id}`, params[id]!)
  }
  const home = await makeHome(fakeLlmConfig(llm.url, {
    channels: {
      websocket: { enabled: false },
      "socket-chat": { enabled: true, apiKey: "key-default", apiBaseUrl: backend.url, ...socketChat },
    },
  }))
  const platforms: Record<string, Platform> = {}
  try {
    for (const id of ids) platforms[id] = await connectPlatform(broker.url, params[id]!)
    await body({ home, broker, backend, params, platforms, llmUrl: llm.url })
  } finally {
    for (const platform of Object.values(platforms)) await platform.close()
    await broker.close()
    await backend.close()
    await llm.close()
    await home.cleanup()
  }
}

/** The gateway mirrors its status every 2 s: poll `claw channels status` until `ready` holds (or 10 s pass). */
const channelsStatusUntil = async (home: TestHome, ready: (stdout: string) => boolean) => {
  const deadline = Date.now() + 10_000
  while (true) {
    const result = await runClaw(["channels", "status"], { env: home.env })
    if (ready(result.stdout) || Date.now() > deadline) return result
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
}

const text = (payload: Record<string, unknown>) =>
  (payload.messages as Array<{ content?: string }>).map((m) => m.content ?? "").join("")

Deno.test(
  "claw pairing approve admits a stranger to a running gateway, which then answers them",
  withSetup({}, async ({ home, broker, params, platforms }) => {
    const p = params.default!
    const platform = platforms.default!
    const gateway = startGateway({ env: home.env })
    try {
      await until(() => broker.subscriptions.includes(`${p.clientId} ${p.reciveTopic}`), "the gateway", 30_000)
      await platform.userSends(imMessage(p, { senderId: "wxid_new", senderName: "Newcomer", content: "hi" }))
      const offer = await platform.next((json) => json.contactId === "wxid_new", 10_000)
      const code = /pairing code: ([A-Z2-9]{8})/.exec(text(offer))?.[1]
      assert(code !== undefined, text(offer))
      const listed = await runClaw(["pairing", "list", "socket-chat"], { env: home.env })
      assertEquals(listed.code, 0, listed.stderr)
      assertStringIncludes(listed.stdout, code)
      assertStringIncludes(listed.stdout, "wxid_new (Newcomer)")
      const approved = await runClaw(["pairing", "approve", "socket-chat", code, "--notify"], { env: home.env })
      assertEquals(approved.code, 0, approved.stderr)
      assertStringIncludes(approved.stdout, "Approved wxid_new (Newcomer) on socket-chat")
      const notice = await platform.next((json) => json.contactId === "wxid_new", 10_000)
      assertEquals(text(notice), "You have been approved to chat with this assistant.")
      await platform.userSends(imMessage(p, { senderId: "wxid_new", content: "hello after approval" }))
      const answer = await platform.next((json) => json.contactId === "wxid_new", 20_000)
      assertStringIncludes(text(answer), "hello after approval")
      const status = await channelsStatusUntil(home, (out) => out.includes("socket-chat: connected"))
      assertEquals(status.code, 0, status.stderr)
      assertStringIncludes(status.stdout, "socket-chat: connected")
      assertStringIncludes(status.stdout, `robotId=${p.robotId}`)
      assertStringIncludes(status.stdout, "last inbound:")
      const revoked = await runClaw(["pairing", "revoke", "socket-chat", "wxid_new"], { env: home.env })
      assertEquals(revoked.code, 0, revoked.stderr)
      await platform.userSends(imMessage(p, { senderId: "wxid_new", content: "still there?" }))
      const again = await platform.next((json) => json.contactId === "wxid_new", 10_000)
      assertStringIncludes(text(again), "pairing code", "a revoked sender has to pair again")
    } finally {
      await gateway.stop()
    }
    const stopped = await runClaw(["channels", "status"], { env: home.env })
    assertStringIncludes(stopped.stdout, "Gateway not running")
  }),
)

Deno.test(
  "claw message send publishes to socket-chat targets without a gateway; probe shows the MQTT parameters",
  withSetup({ accounts: { work: { apiKey: "key-work" } } }, async ({ home, params, platforms }) => {
    const send = (...args: Array<string>) =>
      runClaw(["message", "send", ...args, "--channel", "socket-chat"], { env: home.env })
    const direct = await send("Hello", "--to", "wxid_user123")
    assertEquals(direct.code, 0, direct.stderr)
    assertEquals(await platforms.default!.next(), {
      isGroup: false,
      contactId: "wxid_user123",
      messages: [{ type: 1, content: "Hello" }],
    })
    assertEquals((await send("Hello group", "--to", "group:123@chatroom@wxid_a,wxid_b")).code, 0)
    assertEquals(await platforms.default!.next(), {
      isGroup: true,
      groupId: "123@chatroom",
      mentionIds: ["wxid_a", "wxid_b"],
      messages: [{ type: 1, content: "Hello group" }],
    })
    assertEquals((await send("Work hello", "--to", "group:room_w|wxid_c", "--account", "work")).code, 0)
    assertEquals(await platforms.work!.next(), {
      isGroup: true,
      groupId: "room_w",
      mentionIds: ["wxid_c"],
      messages: [{ type: 1, content: "Work hello" }],
    })
    const ambiguous = await send("x", "--to", "group:a@b@c")
    assertEquals(ambiguous.code, 1)
    assertStringIncludes(ambiguous.stderr, "Ambiguous target")
    await platforms.default!.none(100)
    const probe = await runClaw(["channels", "probe", "socket-chat", "--account", "work"], { env: home.env })
    assertEquals(probe.code, 0, probe.stderr)
    for (const fact of [params.work!.host, params.work!.port, params.work!.reciveTopic, params.work!.robotId]) {
      assertStringIncludes(probe.stdout, fact)
    }
    assert(!probe.stdout.includes(params.work!.password), "the MQTT password is never printed")
  }),
)
