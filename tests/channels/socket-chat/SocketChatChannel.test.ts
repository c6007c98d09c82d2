/**
 * SocketChatChannel against a real MQTT broker and the fake config backend: direct and group flows, the mention
 * gate, echo and duplicate filtering, the seed's media rules, malformed payloads, and the exact outbound payloads.
 */
import { assert, assertEquals } from "../../support/assert.ts"
import { imMessage } from "../../support/socket_chat_backend.ts"
import { until, withWorld } from "./_harness.ts"

Deno.test(
  "SocketChatChannel publishes a direct message and answers with the seed's direct payload",
  withWorld({ dmPolicy: "open" }, async ({ accounts, inbound }) => {
    const { platform, params, send, reporter } = accounts.default!
    await platform.userSends(imMessage(params, { senderId: "wxid_user123", senderName: "Nick", content: "hi bot" }))
    await until(() => inbound.length === 1, "the inbound message")
    const message = inbound[0]!
    assertEquals(
      { channel: message.channel, accountId: message.accountId, chatId: message.chatId, senderId: message.senderId },
      { channel: "socket-chat", accountId: "default", chatId: "wxid_user123", senderId: "wxid_user123" },
    )
    assertEquals([message.content, message.senderName, message.isGroup], ["hi bot", "Nick", undefined])
    assert(reporter.events.includes("inbound"))
    assertEquals(reporter.reported.robotId, params.robotId)
    assertEquals(reporter.reported.reciveTopic, params.reciveTopic)
    await send({ chatId: message.chatId, kind: "reply", content: "hello there", replyTo: message.id })
    assertEquals(await platform.next(), {
      isGroup: false,
      contactId: "wxid_user123",
      messages: [{ type: 1, content: "hello there" }],
    })
  }),
)

Deno.test(
  "SocketChatChannel answers groups only when mentioned, and replies to the group",
  withWorld({ dmPolicy: "open" }, async ({ accounts, inbound }) => {
    const { platform, params, send } = accounts.default!
    const group = { isGroup: true, groupId: "123@chatroom", groupName: "Friends" }
    await platform.userSends(imMessage(params, { ...group, content: "no mention here" }))
    await platform.userSends(imMessage(params, { ...group, content: "flagged", isGroupMention: true }))
    await platform.userSends(imMessage(params, { ...group, content: `hey @${params.robotId} what's up` }))
    await until(() => inbound.length === 2, "the two mentioned group messages")
    await new Promise((resolve) => setTimeout(resolve, 100))
    assertEquals(inbound.map((m) => m.content), ["flagged", `hey @${params.robotId} what's up`])
    const first = inbound[0]!
    assertEquals([first.chatId, first.isGroup, first.groupName], ["group:123@chatroom", true, "Friends"])
    await send({
      chatId: first.chatId,
      kind: "reply",
      content: "hi all",
      mentions: ["wxid_a"],
      media: [{ url: "https://example.com/image.jpg" }],
    })
    assertEquals(await platform.next(), {
      isGroup: true,
      groupId: "123@chatroom",
      mentionIds: ["wxid_a"],
      messages: [{ type: 1, content: "hi all" }, { type: 2, url: "https://example.com/image.jpg" }],
    })
  }),
)

Deno.test(
  "SocketChatChannel drops the bot's own echo and QoS 1 redeliveries of a messageId",
  withWorld({ dmPolicy: "open" }, async ({ accounts, inbound }) => {
    const { platform, params } = accounts.default!
    await platform.userSends(imMessage(params, { senderId: params.robotId, content: "my own words" }))
    const twice = imMessage(params, { content: "once only" })
    await platform.userSends(twice)
    await platform.userSends(twice)
    await platform.userSends(imMessage(params, { content: "after" }))
    await until(() => inbound.some((m) => m.content === "after"), "the last message")
    assertEquals(inbound.map((m) => m.content), ["once only", "after"])
  }),
)

Deno.test(
  "SocketChatChannel applies the media rules: http URLs as media, base64 never to the model, <media:TYPE>",
  withWorld({ dmPolicy: "open" }, async ({ accounts, inbound }) => {
    const { platform, params } = accounts.default!
    const base64 = `data:image/png;base64,${"iVBORw0KGgo".repeat(40)}`
    await platform.userSends(imMessage(params, {
      type: "图片",
      content: "【图片消息】\n文件名：img.jpg\n下载链接：https://oss.example.com/img.jpg",
      url: "https://oss.example.com/img.jpg",
    }))
    await platform.userSends(imMessage(params, { type: "图片", content: `【图片消息】 ${base64}`, url: base64 }))
    await platform.userSends(imMessage(params, { type: "视频", content: "", url: "https://oss.example.com/v.mp4" }))
    await platform.userSends(imMessage(params, { type: "图片", content: "", url: base64 }))
    await platform.userSends(imMessage(params, { content: "   " }))
    await platform.userSends(imMessage(params, { content: "end" }))
    await until(() => inbound.some((m) => m.content === "end"), "the last message")
    assertEquals(inbound.length, 5)
    const [withUrl, withBase64, onlyUrl, onlyBase64] = inbound
    assert(withUrl!.content.startsWith("【图片消息】"))
    assertEquals(withUrl!.media, [{ url: "https://oss.example.com/img.jpg", description: "图片" }])
    assert(!withBase64!.content.includes("base64,"), withBase64!.content)
    assert(!withBase64!.content.includes("iVBORw0KGgo"), "no base64 data reaches the model")
    assertEquals(withBase64!.media, undefined)
    assertEquals([onlyUrl!.content, onlyUrl!.media?.[0]?.url], ["<media:视频>", "https://oss.example.com/v.mp4"])
    assertEquals([onlyBase64!.content, onlyBase64!.media], ["<media:图片>", undefined])
  }),
)

Deno.test(
  "SocketChatChannel skips malformed payloads and keeps running",
  withWorld({ dmPolicy: "open" }, async ({ accounts, inbound, broker }) => {
    const { platform, params, reporter } = accounts.default!
    const valid = imMessage(params, {})
    await platform.userSends("{not json")
    await platform.userSends("[1,2,3]")
    await platform.userSends(imMessage(params, { content: 42 }))
    await platform.userSends(imMessage(params, { senderId: undefined }))
    await platform.userSends({ ...valid, messageId: undefined })
    await platform.userSends(imMessage(params, { isGroup: "yes" }))
    await platform.userSends(imMessage(params, { content: "large but fine " + "x".repeat(150 * 1024) }))
    await platform.userSends(new Uint8Array([0xff, 0xfe, 0x00, 0x01]))
    await platform.userSends(imMessage(params, { content: "still here" }))
    await until(() => inbound.length > 1, "the valid messages")
    await new Promise((resolve) => setTimeout(resolve, 50))
    assertEquals(inbound.map((m) => m.content.slice(0, 14)), ["large but fine", "still here"])
    assert(!reporter.events.some((e) => e.startsWith("disconnected")), "the channel stayed connected")
    assertEquals(broker.clients().length, 2)
  }),
)

Deno.test(
  "SocketChatChannel splits long answers into several payloads without cutting a code block",
  withWorld({ dmPolicy: "open" }, async ({ accounts }) => {
    const { platform, send } = accounts.default!
    const code = "```ts\n" + "const x = 1\n".repeat(200) + "```"
    const text = `${"a".repeat(3000)}\n\n${code}\n\n${"b".repeat(3000)}`
    await send({ chatId: "wxid_long", kind: "push", content: text })
    const parts: Array<string> = []
    while (parts.join("").replace(/\s/g, "").length < text.replace(/\s/g, "").length) {
      const payload = await platform.next() as { messages: Array<{ content: string }> }
      parts.push(...payload.messages.map((m) => m.content))
    }
    assert(parts.length >= 3, `expected several chunks, got ${parts.length}`)
    for (const part of parts) {
      assert(part.length <= 4096, `chunk of ${part.length}`)
      assertEquals((part.match(/```/g) ?? []).length % 2, 0, "code fences stay balanced in every chunk")
    }
  }),
)
