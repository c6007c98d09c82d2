/**
 * The WebSocket channel in-process, with real clients: frames, errors, auth, limits, typing, slow clients.
 */
import * as Effect from "effect/Effect"
import { assert, assertEquals, assertStringIncludes } from "../../support/assert.ts"
import { connectClient } from "../../support/ws_client.ts"
import { startChannel, until } from "./harness.ts"

Deno.test("WebSocketChannel greets, sends typing then the answer, all carrying the client's messageId", async () => {
  const ws = await startChannel()
  const client = await connectClient(ws.url, { senderId: "alice", senderName: "Alice" })
  try {
    const hello = await client.next(() => true)
    assertEquals(hello, { type: "chat.response", content: "Connected to WebSocket chat server" })
    client.send({ type: "chat.send", content: "hi", messageId: "m-1" })
    await until(() => ws.inbound.length === 1, "the inbound message")
    const message = ws.inbound[0]!
    assertEquals(message.senderId, "alice")
    assertEquals(message.senderName, "Alice")
    assertEquals(message.chatId, "alice")
    assertEquals(await client.next(() => true), { type: "chat.typing" })
    await ws.send({ chatId: "alice", kind: "delta", content: "Hel", replyTo: message.id, segment: 0 })
    await ws.send({ chatId: "alice", kind: "delta", content: "lo", replyTo: message.id, segment: 0 })
    await ws.send({ chatId: "alice", kind: "delta", content: "Again", replyTo: message.id, segment: 1 })
    await ws.send({ chatId: "alice", kind: "reply", content: "Hello!", replyTo: message.id })
    const frames = [await client.next(() => true), await client.next(() => true), await client.next(() => true)]
    assertEquals(frames.map((f) => f.content), ["Hel", "Hello", "Again"])
    for (const frame of frames) assertEquals([frame.type, frame.messageId, frame.done], ["chat.stream", "m-1", false])
    assertEquals(await client.next(() => true), {
      type: "chat.response",
      messageId: "m-1",
      content: "Hello!",
      done: true,
    })
  } finally {
    client.close()
    await ws.stop()
  }
})

Deno.test("WebSocketChannel sends deltas instead of cumulative text when streamMode is delta", async () => {
  const ws = await startChannel({ streamMode: "delta" })
  const client = await connectClient(ws.url, { senderId: "dee" })
  try {
    client.send({ type: "chat.send", content: "hi", messageId: "d1" })
    await until(() => ws.inbound.length === 1, "inbound")
    await ws.send({ chatId: "dee", kind: "delta", content: "a", replyTo: ws.inbound[0]!.id, segment: 0 })
    await ws.send({ chatId: "dee", kind: "delta", content: "b", replyTo: ws.inbound[0]!.id, segment: 0 })
    assertEquals((await client.next((f) => f.type === "chat.stream")).content, "a")
    assertEquals((await client.next((f) => f.type === "chat.stream")).content, "b")
  } finally {
    client.close()
    await ws.stop()
  }
})

Deno.test("WebSocketChannel answers bad frames with the plugin's exact errors and keeps the connection", async () => {
  const ws = await startChannel()
  const client = await connectClient(ws.url, { senderId: "eve" })
  try {
    await client.next(() => true)
    client.sendRaw("not json")
    assertEquals(await client.next(() => true), { type: "chat.error", error: "Failed to parse message" })
    client.sendRaw("[1,2]")
    assertEquals((await client.next(() => true)).error, "Failed to parse message")
    const format = "Invalid message format. Expected: { type: 'chat.send', content: '...' }"
    for (
      const bad of [{ type: "chat.other", content: "x" }, { type: "chat.send" }, { type: "chat.send", content: "" }]
    ) {
      client.send(bad)
      const error = await client.next(() => true)
      assertEquals([error.type, error.error], ["chat.error", format])
    }
    client.send({ type: "chat.send", content: "x", customData: "not an object", messageId: "bad-1" })
    assertEquals(await client.next(() => true), { type: "chat.error", messageId: "bad-1", error: format })
    client.send({ type: "chat.send", content: "still fine" })
    await until(() => ws.inbound.length === 1, "the valid message after the bad ones")
    assertEquals(ws.inbound[0]!.content, "still fine")
  } finally {
    client.close()
    await ws.stop()
  }
})

Deno.test("WebSocketChannel reports a duplicate messageId before any typing frame, once per sender", async () => {
  const ws = await startChannel()
  const client = await connectClient(ws.url, { senderId: "dup" })
  const other = await connectClient(ws.url, { senderId: "other" })
  try {
    await client.next(() => true)
    client.send({ type: "chat.send", content: "one", messageId: "same" })
    assertEquals((await client.next(() => true)).type, "chat.typing")
    client.send({ type: "chat.send", content: "one again", messageId: "same" })
    const duplicate = await client.next(() => true)
    assertEquals(duplicate.type, "chat.error")
    assertEquals(duplicate.messageId, "same")
    assertStringIncludes(duplicate.error!, "Failed to process message: duplicate messageId")
    other.send({ type: "chat.send", content: "mine", messageId: "same" })
    await until(() => ws.inbound.length === 2, "the other sender's message with the same id")
    assertEquals(ws.inbound.map((m) => m.senderId), ["dup", "other"])
  } finally {
    client.close()
    other.close()
    await ws.stop()
  }
})

Deno.test("WebSocketChannel closes with 1009 on a frame over maxFrameBytes", async () => {
  const ws = await startChannel({ maxFrameBytes: 1024 })
  const client = await connectClient(ws.url, { senderId: "big" })
  try {
    await client.next(() => true)
    client.send({ type: "chat.send", content: "x".repeat(2048) })
    const error = await client.next(() => true)
    assertEquals(error.type, "chat.error")
    assertStringIncludes(error.error!, "exceeds 1024 bytes")
    const closed = await client.closed
    assertEquals(closed.code, 1009)
    assertEquals(ws.inbound.length, 0)
  } finally {
    await ws.stop()
  }
})

Deno.test("WebSocketChannel keeps groups in one session, names the speaker, quotes replies, keeps customData as data", async () => {
  const ws = await startChannel()
  const alice = await connectClient(ws.url, { senderId: "alice", senderName: "Alice" })
  const bob = await connectClient(ws.url, { senderId: "bob", senderName: "Bob" })
  try {
    const group = { chatType: "group", groupId: "dev-team", groupSubject: "Dev Team" }
    alice.send({ type: "chat.send", content: "hello team", ...group })
    bob.send({
      type: "chat.send",
      content: "I agree",
      replyToBody: "Let's use Python",
      customData: { senderId: "mallory", sessionKey: "websocket:mallory", chatId: "x" },
      ...group,
    })
    await until(() => ws.inbound.length === 2, "both group messages")
    const [first, second] = ws.inbound
    assertEquals([first!.chatId, second!.chatId], ["group:dev-team", "group:dev-team"])
    assertEquals([first!.isGroup, first!.groupName, first!.senderName], [true, "Dev Team", "Alice"])
    assertEquals(second!.senderId, "bob")
    assertEquals(second!.sessionKey, undefined)
    assertEquals(second!.replyTo, { body: "Let's use Python" })
    assertEquals(second!.data, { senderId: "mallory", sessionKey: "websocket:mallory", chatId: "x" })
    await ws.send({ chatId: "group:dev-team", kind: "push", content: "to the group" })
    assertEquals((await alice.next((f) => f.content === "to the group")).done, true)
    assertEquals((await bob.next((f) => f.content === "to the group")).done, true)
  } finally {
    alice.close()
    bob.close()
    await ws.stop()
  }
})

Deno.test("WebSocketChannel splits long answers on paragraph boundaries, never inside a code block", async () => {
  const ws = await startChannel()
  const client = await connectClient(ws.url, { senderId: "long" })
  try {
    client.send({ type: "chat.send", content: "write a lot", messageId: "L" })
    await until(() => ws.inbound.length === 1, "inbound")
    const code = "```ts\n" + Array.from({ length: 60 }, (_, i) => `const line${i} = ${i}`).join("\n") + "\n```"
    const paragraphs = Array.from({ length: 12 }, (_, i) => `Paragraph ${i} ` + "word ".repeat(100).trim())
    const answer = [...paragraphs.slice(0, 6), code, ...paragraphs.slice(6)].join("\n\n")
    await ws.send({ chatId: "long", kind: "reply", content: answer, replyTo: ws.inbound[0]!.id })
    const parts: Array<string> = []
    while (parts.join("\n\n").length < answer.length) {
      const frame = await client.next((f) => f.type === "chat.response" && f.messageId === "L")
      assertEquals(frame.done, true)
      assert(frame.content!.length <= 4000, `frame of ${frame.content!.length} chars`)
      parts.push(frame.content!)
    }
    assert(parts.length >= 3)
    assertEquals(parts.join("\n\n"), answer)
    assert(parts.some((p) => p.includes(code)), "the code block arrives whole")
  } finally {
    client.close()
    await ws.stop()
  }
})

Deno.test("WebSocketChannel repeats chat.typing every 6 s while the turn runs and stops at the answer", async () => {
  const ws = await startChannel({}, { testClock: true })
  const client = await connectClient(ws.url, { senderId: "tick" })
  try {
    client.send({ type: "chat.send", content: "slow one", messageId: "T" })
    await until(() => ws.inbound.length === 1, "inbound")
    const typingCount = () => client.frames.filter((f) => f.type === "chat.typing").length
    await until(() => typingCount() === 1, "the first typing frame")
    await Effect.runPromise(ws.clock!.adjust("6 seconds"))
    await until(() => typingCount() === 2, "typing after 6 s")
    await Effect.runPromise(ws.clock!.adjust("5 seconds"))
    await new Promise((resolve) => setTimeout(resolve, 50))
    assertEquals(typingCount(), 2)
    await Effect.runPromise(ws.clock!.adjust("1 second"))
    await until(() => typingCount() === 3, "typing after 12 s")
    await ws.send({ chatId: "tick", kind: "reply", content: "done", replyTo: ws.inbound[0]!.id })
    await client.next((f) => f.type === "chat.response" && f.messageId === "T")
    await Effect.runPromise(ws.clock!.adjust("1 minute"))
    await new Promise((resolve) => setTimeout(resolve, 50))
    assertEquals(typingCount(), 3)
  } finally {
    client.close()
    await ws.stop()
  }
})

Deno.test("WebSocketChannel stops typing after 2 minutes even if the turn is still running", async () => {
  const ws = await startChannel({}, { testClock: true })
  const client = await connectClient(ws.url, { senderId: "cap" })
  try {
    client.send({ type: "chat.send", content: "endless" })
    await until(() => ws.inbound.length === 1, "inbound")
    for (let i = 0; i < 30; i++) await Effect.runPromise(ws.clock!.adjust("6 seconds"))
    await new Promise((resolve) => setTimeout(resolve, 50))
    assertEquals(client.frames.filter((f) => f.type === "chat.typing").length, 21)
  } finally {
    client.close()
    await ws.stop()
  }
})
