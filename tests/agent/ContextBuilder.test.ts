import { formatUserContent } from "../../src/agent/ContextBuilder.ts"
import type { InboundMessage } from "../../src/bus/Messages.ts"
import { assertEquals } from "../support/assert.ts"

const base: InboundMessage = { id: "1", channel: "c", chatId: "g", senderId: "u1", content: "hi", timestamp: 0 }

Deno.test("formatUserContent names the speaker in groups, quotes replies and lists attachments", () => {
  assertEquals(formatUserContent(base), "hi")
  assertEquals(formatUserContent({ ...base, isGroup: true, senderName: "Ann" }), "Ann: hi")
  assertEquals(formatUserContent({ ...base, isGroup: true }), "u1: hi")
  assertEquals(
    formatUserContent({
      ...base,
      replyTo: { body: "earlier" },
      media: [{ url: "https://x/y.png", mimeType: "image/png" }],
    }),
    `[Replying to: "earlier"]\n\nhi\n[Attachment: https://x/y.png (image/png)]`,
  )
})

Deno.test("formatUserContent leaves merged messages that already name their speakers alone", () => {
  const merged = { ...base, isGroup: true, senderName: "Bo", speakersNamed: true, content: "Ann: hi\nBo: hello" }
  assertEquals(formatUserContent(merged), "Ann: hi\nBo: hello")
})
