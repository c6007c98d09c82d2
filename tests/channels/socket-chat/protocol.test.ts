/**
 * The socket-chat wire format: inbound decoding limits, the seed's media rules, and the exact outbound payloads.
 */
import {
  decodeInboundPayload,
  inboundText,
  MAX_INBOUND_BYTES,
  outboundPayloads,
} from "../../../src/channels/socket-chat/protocol.ts"
import { assert, assertEquals } from "../../support/assert.ts"

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value))
const base = { content: "hi", robotId: "wxid_bot", senderId: "wxid_u", messageId: "m1" }

Deno.test("decodeInboundPayload requires the string fields and refuses huge payloads", () => {
  assertEquals(decodeInboundPayload(bytes(base))._tag, "Ok")
  assertEquals(decodeInboundPayload(bytes({ ...base, robotId: 7 }))._tag, "Malformed")
  assertEquals(decodeInboundPayload(bytes({ ...base, senderId: "" }))._tag, "Malformed")
  assertEquals(decodeInboundPayload(bytes("null"))._tag, "Malformed")
  const huge = decodeInboundPayload(new Uint8Array(MAX_INBOUND_BYTES + 1))
  assert(huge._tag === "Malformed" && huge.reason.includes("exceeds"), JSON.stringify(huge))
})

Deno.test("inboundText follows the seed's media table", () => {
  assertEquals(inboundText({ ...base, content: "text" }), { text: "text", media: [] })
  assertEquals(inboundText({ ...base, content: "desc", type: "图片", url: "https://oss/x.jpg" }), {
    text: "desc",
    media: [{ url: "https://oss/x.jpg", description: "图片" }],
  })
  const data = `data:image/jpeg;base64,${"/9j/4AAQSkZJRg".repeat(30)}`
  assertEquals(inboundText({ ...base, content: `desc ${data}`, url: data }), {
    text: "desc [base64 data omitted]",
    media: [],
  })
  const bare = "QUJD".repeat(100)
  assertEquals(inboundText({ ...base, content: `see ${bare}`, url: bare })?.text, "see [base64 data omitted]")
  assertEquals(inboundText({ ...base, content: "", type: "图片", url: "https://oss/x.jpg" })?.text, "<media:图片>")
  assertEquals(inboundText({ ...base, content: "", url: data }), { text: "<media:file>", media: [] })
  assertEquals(inboundText({ ...base, content: " " }), undefined)
})

Deno.test("outboundPayloads builds the seed's direct and group payloads", () => {
  assertEquals(outboundPayloads({ kind: "direct", contactId: "wxid_user123" }, "文字消息").map((p) => JSON.parse(p)), [
    { isGroup: false, contactId: "wxid_user123", messages: [{ type: 1, content: "文字消息" }] },
  ])
  const group = { kind: "group" as const, groupId: "roomid_xxx", mentionIds: ["wxid_a"] }
  assertEquals(
    outboundPayloads(group, "回复内容", ["https://example.com/image.jpg"], ["wxid_b", "wxid_a"]).map((p) =>
      JSON.parse(p)
    ),
    [{
      isGroup: true,
      groupId: "roomid_xxx",
      mentionIds: ["wxid_a", "wxid_b"],
      messages: [{ type: 1, content: "回复内容" }, { type: 2, url: "https://example.com/image.jpg" }],
    }],
  )
  assertEquals(outboundPayloads({ kind: "group", groupId: "g", mentionIds: [] }, "x").map((p) => JSON.parse(p)), [
    { isGroup: true, groupId: "g", messages: [{ type: 1, content: "x" }] },
  ])
  assertEquals(outboundPayloads({ kind: "direct", contactId: "u" }, "  "), [])
})

Deno.test("outboundPayloads chunks long text with mentions only on the first payload", () => {
  const payloads = outboundPayloads(
    { kind: "group", groupId: "g", mentionIds: ["a"] },
    `${"x".repeat(4000)}\n\n${"y".repeat(4000)}`,
  ).map((p) => JSON.parse(p))
  assertEquals(payloads.length, 2)
  assertEquals([payloads[0].mentionIds, payloads[1].mentionIds], [["a"], undefined])
  assertEquals(payloads.map((p) => p.messages[0].content.length), [4000, 4000])
})
