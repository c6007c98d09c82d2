/**
 * The Mochat channel against a fake Mochat (a real Socket.IO server with the msgpack parser plus the HTTP API):
 * subscriptions with cursors, answers in sessions and panels, cold start, de-duplication, the agent's own
 * messages, mentions and filters, restarts, and outbound routing.
 */
import { assert, assertEquals, assertStringIncludes } from "../../support/assert.ts"
import { AGENT, GROUP, startFakeMochat } from "../../support/fake_mochat.ts"
import { makeStore, mochatConfig, sleep, startChannel, subscribedTo, until } from "./harness.ts"

Deno.test("MochatChannel subscribes with cursors and answers a session without answering its backlog", async () => {
  const fake = await startFakeMochat({ sessions: ["session_a"] })
  fake.userSays("session_a", "alice", "an old message from before the agent existed")
  const running = await startChannel(mochatConfig(fake))
  try {
    await until(() => subscribedTo(fake, "panels").length === 1, "the subscriptions")
    assertEquals(subscribedTo(fake, "sessions")[0]!.payload, { sessionIds: ["session_a"], cursors: {}, limit: 100 })
    assertEquals(subscribedTo(fake, "panels")[0]!.payload, { panelIds: ["panel_1"] })
    await sleep(100)
    assertEquals(running.inbound.length, 0, "the cold session's backlog is not answered")

    fake.userSays("session_a", "alice", "  hello agent  ")
    await until(() => running.inbound.length === 1, "alice's message")
    const message = running.inbound[0]!
    assertEquals(
      [message.channel, message.chatId, message.senderId, message.senderName, message.content, message.isGroup],
      ["mochat", "session_a", "alice", "ALICE", "hello agent", undefined],
    )
    await running.answer(message, "hi alice")
    const sent = await fake.nextSend((s) => s.path === "/api/claw/sessions/send")
    assertEquals(sent.body, { sessionId: "session_a", content: "hi alice" })
    await sleep(100)
    assertEquals(running.inbound.length, 1, "the agent's own message, pushed back by Mochat, is dropped")
    assertEquals(running.reporter.reported.mode, "socket")
    assertEquals([running.reporter.reported.sessions, running.reporter.reported.panels], [1, 1])
  } finally {
    await running.stop()
    await fake.close()
  }
})

Deno.test("MochatChannel answers in a panel through groups/panels/send with the panel's group", async () => {
  const fake = await startFakeMochat({ sessions: [], panels: ["panel_1"] })
  const running = await startChannel(mochatConfig(fake))
  try {
    await until(() => subscribedTo(fake, "panels").length === 1, "the panel subscription")
    fake.panelSays("panel_1", "bob", { type: "card", title: "lunch?" })
    await until(() => running.inbound.length === 1, "bob's panel message")
    const message = running.inbound[0]!
    assertEquals([message.chatId, message.isGroup, message.groupName], ["panel_1", true, "Panel panel_1"])
    assertEquals(JSON.parse(message.content), { type: "card", title: "lunch?" }, "non-string content is JSON text")
    await running.answer(message, "sure")
    const sent = await fake.nextSend((s) => s.path === "/api/claw/groups/panels/send")
    assertEquals(sent.body, { panelId: "panel_1", content: "sure", groupId: GROUP })
    await sleep(100)
    assertEquals(running.inbound.length, 1, "the agent's own panel message is dropped")
  } finally {
    await running.stop()
    await fake.close()
  }
})

Deno.test("MochatChannel drops duplicate events and the agent's own messages", async () => {
  const fake = await startFakeMochat({ sessions: ["session_a"] })
  const running = await startChannel(mochatConfig(fake))
  try {
    await until(() => subscribedTo(fake, "sessions").length === 1, "the subscription")
    await sleep(50)
    const id = fake.userSays("session_a", "alice", "once")
    await until(() => running.inbound.length === 1, "the first message")
    fake.emitRaw("notify:chat.inbox.append", {
      type: "message",
      payload: { converseId: "conv_session_a", messageId: id, messageAuthor: "alice", messagePlainContent: "once" },
    })
    fake.emitRaw("notify:chat.message.add", {
      _id: "p-dup",
      converseId: "panel_1",
      groupId: GROUP,
      author: "bob",
      content: "panel once",
    })
    fake.emitRaw("notify:chat.message.add", {
      _id: "p-dup",
      converseId: "panel_1",
      groupId: GROUP,
      author: "bob",
      content: "again",
    })
    fake.emitRaw("notify:chat.message.add", { _id: "dm-1", converseId: "conv_x", author: "bob", content: "a DM" })
    fake.userSays("session_a", AGENT, "I am the agent")
    fake.userSays("session_a", "alice", "last")
    await until(() => running.inbound.some((m) => m.content === "last"), "the last message")
    assertEquals(running.inbound.map((m) => m.content), ["once", "panel once", "last"])
  } finally {
    await running.stop()
    await fake.close()
  }
})

Deno.test("MochatChannel merges a panel's waiting messages when the agent is mentioned", async () => {
  const fake = await startFakeMochat({ sessions: [], panels: ["panel_1"] })
  const running = await startChannel(mochatConfig(fake, { reply_delay_mode: "non-mention", reply_delay_ms: 60_000 }))
  try {
    await until(() => subscribedTo(fake, "panels").length === 1, "the panel subscription")
    fake.panelSays("panel_1", "ann", "who wants pizza")
    fake.panelSays("panel_1", "bob", "me")
    await sleep(150)
    assertEquals(running.inbound.length, 0, "non-mentions wait for the quiet period")
    fake.panelSays("panel_1", "cat", `<@${AGENT}> order for us?`)
    await until(() => running.inbound.length === 1, "the merged message")
    assertEquals(running.inbound[0]!.content, `ANN: who wants pizza\nBOB: me\nCAT: <@${AGENT}> order for us?`)
    assertEquals(running.inbound[0]!.senderId, "cat")
  } finally {
    await running.stop()
    await fake.close()
  }
})

Deno.test("MochatChannel answers a panel after a real quiet period, and only then", async () => {
  const fake = await startFakeMochat({ sessions: [], panels: ["panel_1"] })
  const running = await startChannel(mochatConfig(fake, { reply_delay_mode: "non-mention", reply_delay_ms: 400 }))
  try {
    await until(() => subscribedTo(fake, "panels").length === 1, "the panel subscription")
    const started = Date.now()
    fake.panelSays("panel_1", "ann", "quiet in here")
    await sleep(200)
    assertEquals(running.inbound.length, 0)
    await until(() => running.inbound.length === 1, "the delayed message")
    assert(Date.now() - started >= 380, `answered after ${Date.now() - started} ms`)
    assertEquals(running.inbound[0]!.content, "quiet in here")
  } finally {
    await running.stop()
    await fake.close()
  }
})

Deno.test("MochatChannel applies allowFrom and the panel mention rule", async () => {
  const fake = await startFakeMochat({ sessions: ["session_a"], panels: ["panel_1"] })
  const config = mochatConfig(fake, { allow_from: ["alice", "bob"], groups: { panel_1: { require_mention: true } } })
  const running = await startChannel(config)
  try {
    await until(() => subscribedTo(fake, "panels").length === 1, "the subscriptions")
    await sleep(50)
    fake.userSays("session_a", "mallory", "let me in")
    fake.panelSays("panel_1", "bob", "not for the bot")
    fake.panelSays("panel_1", "bob", "hey bot", { mentionIds: [AGENT] })
    fake.userSays("session_a", "alice", "allowed")
    await until(() => running.inbound.length === 2, "two accepted messages")
    await sleep(100)
    assertEquals(running.inbound.map((m) => m.content).sort(), ["allowed", "hey bot"])
  } finally {
    await running.stop()
    await fake.close()
  }
})

Deno.test("MochatChannel keeps cursors across a restart and answers nothing twice", async () => {
  const fake = await startFakeMochat({ sessions: ["session_a"], panels: [] })
  const store = await makeStore()
  const first = await startChannel(mochatConfig(fake), store)
  try {
    await until(() => subscribedTo(fake, "sessions").length === 1, "the first subscription")
    fake.userSays("session_a", "alice", "one")
    await until(() => first.inbound.length === 1, "the first message")
  } finally {
    await first.stop()
  }
  fake.userSays("session_a", "alice", "two, while the gateway was down")
  const second = await startChannel(mochatConfig(fake), store)
  try {
    await until(() => subscribedTo(fake, "sessions").length === 2, "the second subscription")
    assertEquals(subscribedTo(fake, "sessions")[1]!.payload.cursors, { session_a: 1 })
    await until(() => second.inbound.length === 1, "the message sent while down")
    await sleep(100)
    assertEquals(second.inbound.map((m) => m.content), ["two, while the gateway was down"])
  } finally {
    await second.stop()
    await fake.close()
  }
})

Deno.test("MochatChannel remembers answered panel messages across a restart into the HTTP fallback", async () => {
  const fake = await startFakeMochat({ sessions: [], panels: ["panel_1"] })
  const store = await makeStore()
  const first = await startChannel(mochatConfig(fake), store)
  try {
    await until(() => subscribedTo(fake, "panels").length === 1, "the first subscription")
    fake.panelSays("panel_1", "bob", "answered before the restart")
    await until(() => first.inbound.length === 1, "the first panel message")
  } finally {
    await first.stop()
  }
  fake.panelSays("panel_1", "bob", "sent while the gateway was down")
  fake.socketDown(true)
  const second = await startChannel(mochatConfig(fake), store)
  try {
    await until(() => second.inbound.length === 1, "the message sent while down, through the panel poll")
    await sleep(500)
    assertEquals(second.inbound.map((m) => m.content), ["sent while the gateway was down"])
  } finally {
    await second.stop()
    await fake.close()
  }
})

Deno.test("MochatChannel finds a direct message's session from notify:chat.inbox.append", async () => {
  const fake = await startFakeMochat({ sessions: ["session_dm"], panels: [] })
  const running = await startChannel(mochatConfig(fake, { sessions: ["session_dm"] }))
  try {
    await until(() => subscribedTo(fake, "sessions").length === 1, "the subscription")
    await sleep(50)
    fake.emitRaw("notify:chat.inbox.append", {
      type: "message",
      _id: "inbox-1",
      payload: { converseId: "conv_session_dm", messageId: "dm-1", messageAuthor: "dora", messagePlainContent: "psst" },
    })
    await until(() => running.inbound.length === 1, "the direct message")
    assertEquals([running.inbound[0]!.chatId, running.inbound[0]!.content], ["session_dm", "psst"])
  } finally {
    await running.stop()
    await fake.close()
  }
})

Deno.test("MochatChannel routes outbound ids with prefixes, chunks long text and apologises for errors", async () => {
  const fake = await startFakeMochat({ sessions: ["session_a"], panels: ["panel_1"] })
  const running = await startChannel(mochatConfig(fake))
  try {
    await until(() => subscribedTo(fake, "panels").length === 1, "the subscriptions")
    const send = (chatId: string, content: string, kind: "reply" | "push" | "error" | "delta" = "push") =>
      running.answer({ ...running.inbound[0]!, chatId, id: "x" } as never, content, kind)
    await send("mochat:session_a", "to the session")
    await send("panel:panel_1", "to the panel")
    await send("group:panel_1", "streamed", "delta")
    await send("session_a", "boom", "error")
    await send("channel:panel_1", `${"a".repeat(3000)}\n\n${"b".repeat(3000)}`)
    const contents = fake.sends.map((
      s,
    ) => [s.path.split("/").pop(), s.body.sessionId ?? s.body.panelId, s.body.content])
    assertEquals(contents.slice(0, 3), [
      ["send", "session_a", "to the session"],
      ["send", "panel_1", "to the panel"],
      ["send", "session_a", "Sorry, something went wrong while answering. Please try again."],
    ])
    assertEquals(contents.slice(3).map((c) => String(c[2]).length), [3000, 3000])
    assertStringIncludes(String(contents[4]![2]), "bbb")
  } finally {
    await running.stop()
    await fake.close()
  }
})
