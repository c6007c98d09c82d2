/**
 * SocketChatChannel's access pipeline against a real broker: pairing (a code only for a new request, approval
 * taking effect at the next message), allowlists by id (prefix and case ignored), group policy, and two accounts
 * each with its own topics, pairing scope and sessions.
 */
import { PairingStore } from "../../../src/security/PairingStore.ts"
import { assert, assertEquals, assertMatch } from "../../support/assert.ts"
import { imMessage } from "../../support/socket_chat_backend.ts"
import { until, withWorld } from "./_harness.ts"

const CODE = /pairing code: ([A-HJ-NP-Z2-9]{8})/

Deno.test(
  "SocketChatChannel pairs an unknown sender: one code per request, admitted once approved",
  withWorld({}, async ({ accounts, inbound, runtime }) => {
    const { platform, params } = accounts.default!
    await platform.userSends(imMessage(params, { senderId: "wxid_stranger", content: "let me in" }))
    const reply = await platform.next() as { contactId: string; messages: Array<{ content: string }> }
    assertEquals(reply.contactId, "wxid_stranger")
    const code = assertMatchCode(reply.messages[0]!.content)
    await platform.userSends(imMessage(params, { senderId: "wxid_stranger", content: "hello??" }))
    await platform.none(200)
    assertEquals(inbound.length, 0, "nothing reaches the agent before approval")
    const approved = await runtime.runPromise(PairingStore.use((store) => store.approve("socket-chat", code)))
    assertEquals([approved.senderId, approved.accountId], ["wxid_stranger", "default"])
    await platform.userSends(imMessage(params, { senderId: "wxid_stranger", content: "now?" }))
    await until(() => inbound.length === 1, "the approved sender's message")
    assertEquals(inbound[0]!.content, "now?")
  }),
)

const assertMatchCode = (text: string) => {
  assertMatch(text, CODE)
  assert(text.includes("claw pairing approve socket-chat"), text)
  return CODE.exec(text)![1]!
}

Deno.test(
  "SocketChatChannel sends at most 3 pending pairing codes per account",
  withWorld({}, async ({ accounts }) => {
    const { platform, params } = accounts.default!
    for (const user of ["wxid_1", "wxid_2", "wxid_3", "wxid_4"]) {
      await platform.userSends(imMessage(params, { senderId: user }))
    }
    for (const user of ["wxid_1", "wxid_2", "wxid_3"]) {
      assertEquals((await platform.next()).contactId, user)
    }
    await platform.none(200)
  }),
)

Deno.test(
  "SocketChatChannel allowlist admits listed ids (prefix and case ignored) and drops others silently",
  withWorld(
    { dmPolicy: "allowlist", allowFrom: ["socket-chat:WXID_Friend"] },
    async ({ accounts, inbound }) => {
      const { platform, params } = accounts.default!
      await platform.userSends(imMessage(params, { senderId: "wxid_stranger", senderName: "wxid_friend" }))
      await platform.userSends(imMessage(params, { senderId: "wxid_friend", content: "it's me" }))
      await until(() => inbound.length === 1, "the friend's message")
      await platform.none(150)
      assertEquals([inbound[0]!.senderId, inbound.length], ["wxid_friend", 1])
    },
  ),
)

Deno.test(
  "SocketChatChannel group policy: allowlisted groups only, groupAllowFrom senders only, mention optional",
  withWorld(
    {
      dmPolicy: "open",
      groupPolicy: "allowlist",
      groups: ["room_ok"],
      groupAllowFrom: ["wxid_boss"],
      requireMention: false,
    },
    async ({ accounts, inbound }) => {
      const { platform, params } = accounts.default!
      await platform.userSends(imMessage(params, { isGroup: true, groupId: "room_other", senderId: "wxid_boss" }))
      await platform.userSends(imMessage(params, { isGroup: true, groupId: "room_ok", senderId: "wxid_nobody" }))
      await platform.userSends(imMessage(params, { isGroup: true, groupId: "room_ok", senderId: "wxid_boss" }))
      await until(() => inbound.length === 1, "the boss's message in room_ok")
      await new Promise((resolve) => setTimeout(resolve, 100))
      assertEquals([inbound.length, inbound[0]!.chatId], [1, "group:room_ok"])
    },
  ),
)

Deno.test(
  "SocketChatChannel runs two accounts side by side, each with its own topics, pairing and sessions",
  withWorld(
    { dmPolicy: "open", accounts: { work: { dmPolicy: "pairing" } } },
    async ({ accounts, inbound, runtime, backend }) => {
      const main = accounts.default!
      const work = accounts.work!
      assertEquals([main.channel.id, work.channel.id], ["socket-chat", "socket-chat:work"])
      assertEquals(work.channel.accountId, "work")
      assert(backend.requests.some((r) => r.key === "key-work"), "the work account fetched its own config")
      await work.platform.userSends(imMessage(work.params, { senderId: "wxid_same" }))
      const offer = await work.platform.next() as { contactId: string; messages: Array<{ content: string }> }
      assertEquals(offer.contactId, "wxid_same")
      assertMatchCode(offer.messages[0]!.content)
      await main.platform.userSends(imMessage(main.params, { senderId: "wxid_same", content: "to main" }))
      await until(() => inbound.length === 1, "the main account's message")
      assertEquals([inbound[0]!.accountId, inbound[0]!.sessionKey], ["default", undefined])
      const pending = await runtime.runPromise(PairingStore.use((store) => store.list("socket-chat")))
      assertEquals(pending.pending.map((r) => r.accountId), ["work"])
      await runtime.runPromise(PairingStore.use((store) => store.approve("socket-chat", pending.pending[0]!.code)))
      await work.platform.userSends(imMessage(work.params, { senderId: "wxid_same", content: "to work" }))
      await until(() => inbound.length === 2, "the work account's message")
      assertEquals([inbound[1]!.accountId, inbound[1]!.sessionKey], ["work", "socket-chat:work:wxid_same"])
      await work.send({ chatId: "wxid_same", kind: "reply", content: "from work" })
      assertEquals((await work.platform.next()).contactId, "wxid_same")
      await main.platform.none(100)
    },
  ),
)
