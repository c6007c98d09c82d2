import * as Effect from "effect/Effect"
import * as PubSub from "effect/PubSub"
import { MessageBus } from "../../../src/bus/MessageBus.ts"
import type { OutboundMessage } from "../../../src/bus/Messages.ts"
import type { ToolContext } from "../../../src/agent/tools/Tool.ts"
import { assert, assertIncludes, context, type Harness, runEffect, withHarness } from "./_harness.ts"

/** Calls the message tool while subscribed to the outbound bus; returns the result and what was published. */
const send = (harness: Harness, args: unknown, ctx: ToolContext) =>
  runEffect(
    harness,
    Effect.scoped(Effect.gen(function* () {
      const bus = yield* MessageBus
      const subscription = yield* bus.subscribeOutbound
      const result = yield* Effect.promise(() => harness.call("message", args, ctx))
      const published: ReadonlyArray<OutboundMessage> = yield* PubSub.takeUpTo(subscription, 100)
      return { result, published }
    })),
  )

Deno.test(
  "message publishes a push to the current chat, replying to the turn, and records the delivery",
  withHarness({}, async (harness) => {
    const ctx = context({ channel: "telegram", chatId: "8281", accountId: "bot1", messageId: "in-7" })
    const { result, published } = await send(harness, { content: "Working on it" }, ctx)
    assert.equal(result, "Message sent to telegram:8281")
    assert.equal(published.length, 1)
    const [message] = published
    assert.equal(message?.kind, "push")
    assert.equal(message?.channel, "telegram")
    assert.equal(message?.chatId, "8281")
    assert.equal(message?.accountId, "bot1")
    assert.equal(message?.replyTo, "in-7")
    assert.equal(message?.content, "Working on it")
    assert.deepEqual([...ctx.delivered], ["telegram:8281"])
  }),
)

Deno.test(
  "message sends to another chat without replyTo and records that chat",
  withHarness({}, async (harness) => {
    const ctx = context({ channel: "cli", chatId: "direct", messageId: "in-1" })
    const { result, published } = await send(harness, { content: "Hi", channel: "mochat", chat_id: "session_abc" }, ctx)
    assert.equal(result, "Message sent to mochat:session_abc")
    assert.equal(published[0]?.channel, "mochat")
    assert.equal(published[0]?.chatId, "session_abc")
    assert.equal(published[0]?.replyTo, undefined)
    assert.deepEqual([...ctx.delivered], ["mochat:session_abc"])
  }),
)

Deno.test(
  "message attaches media URLs and workspace files as absolute paths",
  withHarness({}, async (harness) => {
    await Deno.writeTextFile(`${harness.workspace}/chart.png`, "png")
    const ctx = context()
    const { published } = await send(
      harness,
      { content: "Here", media: ["chart.png", "https://example.com/a.jpg"] },
      ctx,
    )
    assert.deepEqual(published[0]?.media, [{ url: `${harness.workspace}/chart.png` }, {
      url: "https://example.com/a.jpg",
    }])
  }),
)

Deno.test(
  "message refuses a missing attachment, another channel without chat_id and missing content",
  withHarness({}, async (harness) => {
    const ctx = context()
    const missing = await send(harness, { content: "x", media: ["nope.png"] }, ctx)
    assertIncludes(missing.result, "Attachment not found: nope.png")
    const noChat = await send(harness, { content: "x", channel: "telegram" }, ctx)
    assertIncludes(noChat.result, "chat_id is required to send to another channel (telegram)")
    const noContent = await send(harness, { chat_id: "1" }, ctx)
    assertIncludes(noContent.result, "Error: invalid arguments for message: content:")
    assert.equal(missing.published.length + noChat.published.length + noContent.published.length, 0)
    assert.equal(ctx.delivered.size, 0)
  }),
)
