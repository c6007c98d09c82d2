/**
 * The WebSocket channel through a running gateway (the real entry point in a subprocess) and the local fake LLM:
 * per-sender and per-group memory, tool rounds, many clients, slow turns, disconnects, pushes, errors, /stop.
 */
import { assert, assertEquals, assertStringIncludes } from "../../support/assert.ts"
import { fakeLlmConfig, makeHome, type RunningGateway, startGateway, type TestHome } from "../../support/cli.ts"
import { type FakeChatBody, type FakeLlm, startFakeLlm } from "../../support/fake_llm.ts"
import { connectClient } from "../../support/ws_client.ts"

const lastUserText = (body: FakeChatBody) =>
  String(body.messages?.filter((m) => m.role === "user").at(-1)?.content ?? "")

const withGateway =
  (body: (ctx: { url: string; llm: FakeLlm; gateway: RunningGateway; home: TestHome }) => Promise<void>) =>
  async () => {
    const llm = await startFakeLlm()
    const home = await makeHome(fakeLlmConfig(llm.url, { channels: { websocket: { port: 0 } } }))
    const gateway = startGateway({ env: home.env })
    try {
      const [, url] = await gateway.waitForLog(/(ws:\/\/127\.0\.0\.1:\d+\/ws)/)
      await body({ url: url!, llm, gateway, home })
      assertEquals(await gateway.stop(), 0)
      assertEquals(gateway.logs().includes("crashed"), false, gateway.logs())
    } finally {
      await gateway.stop()
      await home.cleanup()
      await llm.close()
    }
  }

Deno.test(
  "WebSocket gateway keeps a session per sender and one per group, with the speaker's name",
  withGateway(async ({ url, llm }) => {
    const alice = await connectClient(url, { senderId: "alice", senderName: "Alice" })
    const bob = await connectClient(url, { senderId: "bob", senderName: "Bob" })
    const ask = async (client: typeof alice, content: string, extra: Record<string, unknown> = {}) => {
      const messageId = crypto.randomUUID()
      client.send({ type: "chat.send", content, messageId, ...extra })
      return (await client.next((f) => f.type === "chat.response" && f.messageId === messageId)).content
    }
    assertEquals(await ask(alice, "My name is Alice"), "Nice to meet you, Alice.")
    assertEquals(await ask(bob, "My name is Bob"), "Nice to meet you, Bob.")
    assertEquals(await ask(alice, "What is my name?"), "Your name is Alice.")
    assertEquals(await ask(bob, "What is my name?"), "Your name is Bob.")
    const group = { chatType: "group", groupId: "team", groupSubject: "Team" }
    await ask(alice, "My name is Captain", group)
    assertEquals(await ask(bob, "What is my name?", group), "Your name is Captain.")
    const groupRequest = llm.requests.at(-1)!.body
    assert(
      groupRequest.messages!.some((m) => String(m.content).includes("Bob: What is my name?")),
      "the speaker's name reaches the model",
    )
    await ask(alice, "I agree", { replyToBody: "Let's use Python" })
    assertStringIncludes(lastUserText(llm.requests.at(-1)!.body), `[Replying to: "Let's use Python"]`)
    alice.close()
    bob.close()
  }),
)

Deno.test(
  "WebSocket gateway streams each assistant message and restarts the text after a tool round",
  withGateway(async ({ url, llm }) => {
    llm.script(
      { text: "Let me look.", toolCalls: [{ name: "list_dir", arguments: { path: "." } }] },
      { text: "Your workspace has files." },
    )
    const client = await connectClient(url, { senderId: "tools" })
    client.send({ type: "chat.send", content: "What is in my workspace?", messageId: "t1" })
    const final = await client.next((f) => f.type === "chat.response" && f.messageId === "t1")
    assertEquals(final.content, "Your workspace has files.")
    const streamed = client.frames.filter((f) => f.type === "chat.stream").map((f) => f.content)
    assertEquals(streamed.includes("Let me look."), true, JSON.stringify(streamed))
    const restart = streamed.indexOf("Your ")
    assert(restart > streamed.indexOf("Let me look."), "the second message streams from its own start")
    assertEquals(streamed.at(-1), "Your workspace has files.")
    assert(
      client.frames.filter((f) => f.type !== "chat.typing").every((f) =>
        f.messageId === "t1" || f.messageId === undefined
      ),
    )
    const toolResult = llm.requests[1]!.body.messages!.find((m) => m.role === "tool")
    assertStringIncludes(String(toolResult?.content), "AGENTS.md")
    client.close()
  }),
)

Deno.test(
  "WebSocket gateway serves 50 concurrent clients without cross-talk",
  withGateway(async ({ url }) => {
    const clients = await Promise.all(
      Array.from({ length: 50 }, (_, i) => connectClient(url, { senderId: `user${i}` })),
    )
    const answers = await Promise.all(clients.map(async (client, i) => {
      client.send({ type: "chat.send", content: `My name is Person${i}`, messageId: `a${i}` })
      await client.next((f) => f.type === "chat.response" && f.messageId === `a${i}`, 20_000)
      client.send({ type: "chat.send", content: "What is my name?", messageId: `b${i}` })
      return (await client.next((f) => f.type === "chat.response" && f.messageId === `b${i}`, 20_000)).content
    }))
    answers.forEach((answer, i) => assertEquals(answer, `Your name is Person${i}.`))
    for (const client of clients) {
      assert(
        client.frames.every((f) => f.messageId === undefined || f.messageId.endsWith(String(clients.indexOf(client)))),
      )
      client.close()
    }
  }),
)

Deno.test(
  "WebSocket gateway answers other clients while one turn is slow, and survives a client leaving mid-turn",
  withGateway(async ({ url, llm }) => {
    llm.setHandler((request) =>
      lastUserText(request.body).includes("slow") ? { text: "finally", delayMs: 3_000 } : { text: "quick answer" }
    )
    const slow = await connectClient(url, { senderId: "slowpoke" })
    const leaver = await connectClient(url, { senderId: "leaver" })
    const fast = await connectClient(url, { senderId: "fast" })
    slow.send({ type: "chat.send", content: "slow please", messageId: "s" })
    leaver.send({ type: "chat.send", content: "slow too", messageId: "l" })
    await leaver.next((f) => f.type === "chat.typing")
    leaver.close()
    const started = Date.now()
    fast.send({ type: "chat.send", content: "hi", messageId: "f" })
    assertEquals((await fast.next((f) => f.type === "chat.response" && f.messageId === "f")).content, "quick answer")
    assert(Date.now() - started < 2_000, `the fast client waited ${Date.now() - started} ms`)
    assertEquals((await slow.next((f) => f.type === "chat.response" && f.messageId === "s", 10_000)).content, "finally")
    const back = await connectClient(url, { senderId: "leaver" })
    back.send({ type: "chat.send", content: "hello again", messageId: "l2" })
    assertEquals(
      (await back.next((f) => f.type === "chat.response" && f.messageId === "l2", 10_000)).content !== undefined,
      true,
    )
    for (const client of [slow, fast, back]) client.close()
  }),
)

Deno.test(
  "WebSocket gateway lets the agent push to another connected user with the message tool",
  withGateway(async ({ url, llm }) => {
    llm.script(
      {
        toolCalls: [{
          name: "message",
          arguments: { content: "Hi Bob, Alice says hello", channel: "websocket", chat_id: "bob" },
        }],
      },
      { text: "I told Bob." },
    )
    const alice = await connectClient(url, { senderId: "alice" })
    const bob = await connectClient(url, { senderId: "bob" })
    alice.send({ type: "chat.send", content: "Tell Bob I said hello", messageId: "m" })
    assertEquals(
      (await bob.next((f) => f.type === "chat.response" && f.content !== undefined && f.content.startsWith("Hi Bob")))
        .done,
      true,
    )
    assertEquals((await alice.next((f) => f.type === "chat.response" && f.messageId === "m")).content, "I told Bob.")
    alice.close()
    bob.close()
  }),
)

Deno.test(
  "WebSocket gateway reports LLM failures as chat.error and /stop cancels a running turn",
  withGateway(async ({ url, llm }) => {
    llm.setHandler((request) =>
      lastUserText(request.body).includes("fail")
        ? { status: 500, body: { error: { message: "boom" } } }
        : { text: "too late", delayMs: 5_000 }
    )
    const client = await connectClient(url, { senderId: "carol" })
    client.send({ type: "chat.send", content: "please fail", messageId: "e" })
    const error = await client.next((f) => f.type === "chat.error" && f.messageId === "e", 10_000)
    assertStringIncludes(error.error!, "Failed to process message: ")
    assertStringIncludes(error.error!, "500")
    client.send({ type: "chat.send", content: "take forever", messageId: "long" })
    await client.next((f) => f.type === "chat.typing")
    client.send({ type: "chat.send", content: "/stop", messageId: "stop" })
    assertEquals(
      (await client.next((f) => f.messageId === "stop" && f.type === "chat.response")).content,
      "Stopped 1 task.",
    )
    assertEquals((await client.next((f) => f.messageId === "long")).error, "Failed to process message: Stopped.")
    client.close()
  }),
)
