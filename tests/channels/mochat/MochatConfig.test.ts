/**
 * `channels.mochat` decoding (the seed's snake_case, camelCase, defaults, the secret) and the small pure rules:
 * mention detection, mention requirements, outbound targets and subscribe acks.
 */
import * as Redacted from "effect/Redacted"
import { targetOf } from "../../../src/channels/mochat/MochatChannel.ts"
import { requiresMention } from "../../../src/channels/mochat/MochatConfig.ts"
import { ackPayloads } from "../../../src/channels/mochat/MochatConnection.ts"
import { decodeEvent, isMentioned, type MochatMessage } from "../../../src/channels/mochat/MochatEvents.ts"
import { decodeConfigValue } from "../../../src/config/decodeConfig.ts"
import { assert, assertEquals, assertStringIncludes } from "../../support/assert.ts"

const SEED = {
  enabled: true,
  base_url: "https://mochat.io",
  socket_url: "https://mochat.io",
  socket_path: "/socket.io",
  claw_token: "claw_abc123def456",
  agent_user_id: "6982abcdef",
  sessions: ["*"],
  panels: ["*"],
  reply_delay_mode: "non-mention",
  reply_delay_ms: 120000,
}

const decode = (mochat: unknown) => decodeConfigValue({ channels: { mochat } })
const ok = (mochat: unknown) => {
  const decoded = decode(mochat)
  if (decoded._tag !== "Ok") throw new Error(decoded.problems.join("\n"))
  assertEquals(decoded.warnings, [])
  return decoded.config.channels.mochat
}

Deno.test("MochatConfig decodes the seed's complete example with the protocol's defaults", () => {
  const config = ok(SEED)
  assertEquals(Redacted.value(config.clawToken!), "claw_abc123def456")
  assertEquals(String(config.clawToken).includes("claw_abc"), false, "the token never prints")
  assertEquals(
    [config.baseUrl, config.socketPath, config.agentUserId, config.replyDelayMode, config.replyDelayMs],
    ["https://mochat.io", "/socket.io", "6982abcdef", "non-mention", 120_000],
  )
  assertEquals(
    [
      config.socketReconnectDelayMs,
      config.socketMaxReconnectDelayMs,
      config.socketConnectTimeoutMs,
      config.refreshIntervalMs,
      config.watchTimeoutMs,
      config.watchLimit,
      config.retryDelayMs,
      config.maxRetryAttempts,
      config.socketDisableMsgpack,
      config.replyMaxWaitMs,
    ],
    [1_000, 10_000, 10_000, 30_000, 25_000, 100, 500, 0, false, 600_000],
  )
})

Deno.test("MochatConfig is off by default and accepts camelCase and the advanced keys", () => {
  assertEquals(ok({}).enabled, false)
  assertEquals([ok({}).sessions, ok({}).panels], [["*"], ["*"]])
  const config = ok({
    baseUrl: "http://127.0.0.1:1",
    clawToken: "claw_x",
    replyDelayMode: "always",
    socketDisableMsgpack: true,
    allowFrom: ["u1"],
    mention: { require_in_groups: true },
    groups: { Panel_Mixed_Case: { require_mention: false } },
  })
  assertEquals([config.baseUrl, config.replyDelayMode, config.socketDisableMsgpack], [
    "http://127.0.0.1:1",
    "always",
    true,
  ])
  assertEquals(config.allowFrom, ["u1"])
  assertEquals(config.groups, { Panel_Mixed_Case: { requireMention: false } }, "panel ids are kept as written")
  assertEquals(requiresMention(config, "Panel_Mixed_Case", undefined), false)
  assertEquals(requiresMention(config, "other", undefined), true)
})

Deno.test("MochatConfig names a bad value and where it is", () => {
  const decoded = decode({ ...SEED, reply_delay_mode: "sometimes", reply_delay_ms: "soon" })
  assert(decoded._tag === "Invalid")
  const problems = decoded.problems.join("\n")
  assertStringIncludes(problems, "channels.mochat.reply_delay_mode")
  assertStringIncludes(problems, "channels.mochat.reply_delay_ms")
})

const message = (rawContent: unknown, meta?: Record<string, unknown>): MochatMessage => ({
  messageId: "m",
  author: "u",
  authorName: undefined,
  content: String(rawContent),
  rawContent,
  meta,
  groupId: undefined,
  seq: undefined,
})

Deno.test("isMentioned reads meta flags, id lists and <@id>/@id in the text", () => {
  assertEquals(isMentioned(message("hi", { mentioned: true }), "bot"), true)
  assertEquals(isMentioned(message("hi", { wasMentioned: true }), "bot"), true)
  assertEquals(isMentioned(message("hi", { mentionIds: ["x", "bot"] }), "bot"), true)
  assertEquals(isMentioned(message("hi", { mentionedUsers: [{ userId: "bot" }] }), "bot"), true)
  assertEquals(isMentioned(message("hey <@bot>"), "bot"), true)
  assertEquals(isMentioned(message("hey @bot"), "bot"), true)
  assertEquals(isMentioned(message("hey @bobby", { mentionIds: ["x"] }), "bot"), false)
})

Deno.test("decodeEvent keeps message.add, skips other types, and flags malformed events", () => {
  const add = decodeEvent({ seq: 3, type: "message.add", payload: { messageId: "m1", author: "u", content: "x" } })
  assert(add._tag === "Message" && add.message.seq === 3 && add.message.content === "x")
  assertEquals(decodeEvent({ seq: 4, type: "message.recall", payload: {} }), { _tag: "Other", seq: 4 })
  assertEquals(decodeEvent({ seq: "x" })._tag, "Malformed")
  assertEquals(decodeEvent({ type: "message.add", payload: { content: "no author" } })._tag, "Malformed")
})

Deno.test("targetOf strips the accepted prefixes and routes session_ ids to sessions", () => {
  assertEquals(targetOf("mochat:session_1"), { id: "session_1", isSession: true })
  assertEquals(targetOf("group:p1"), { id: "p1", isSession: false })
  assertEquals(targetOf("channel:p1"), { id: "p1", isSession: false })
  assertEquals(targetOf("mochat:panel:p1"), { id: "p1", isSession: false })
})

Deno.test("ackPayloads accepts one payload, an array, or {sessions: [...]}", () => {
  const one = { sessionId: "s", events: [] }
  assertEquals(ackPayloads(one), [one])
  assertEquals(ackPayloads([one, one]), [one, one])
  assertEquals(ackPayloads({ sessions: [one] }), [one])
  assertEquals(ackPayloads(undefined), [])
})
