/**
 * The socket-chat target grammar of `claw message send --to` and of outbound chat ids.
 */
import { parseTarget } from "../../../src/channels/socket-chat/target.ts"
import { assertEquals } from "../../support/assert.ts"

const ok = (raw: string) => {
  const parsed = parseTarget(raw)
  if (parsed._tag !== "Ok") throw new Error(parsed.message)
  return parsed.target
}

Deno.test("parseTarget reads direct targets, ignoring a socket-chat: prefix", () => {
  assertEquals(ok("wxid_user123"), { kind: "direct", contactId: "wxid_user123" })
  assertEquals(ok("socket-chat:wxid_user123"), { kind: "direct", contactId: "wxid_user123" })
  assertEquals(ok("abc@openim"), { kind: "direct", contactId: "abc@openim" })
})

Deno.test("parseTarget reads groups, with mentions after | (the plugin's form)", () => {
  assertEquals(ok("group:roomid_xxx"), { kind: "group", groupId: "roomid_xxx", mentionIds: [] })
  assertEquals(ok("group:123@chatroom"), { kind: "group", groupId: "123@chatroom", mentionIds: [] })
  assertEquals(ok("group:123@chatroom|wxid_a, wxid_b"), {
    kind: "group",
    groupId: "123@chatroom",
    mentionIds: ["wxid_a", "wxid_b"],
  })
})

Deno.test("parseTarget accepts the seed's group:<id>@a,b form only when unambiguous", () => {
  assertEquals(ok("group:roomid_xxx@wxid_a,wxid_b"), {
    kind: "group",
    groupId: "roomid_xxx",
    mentionIds: ["wxid_a", "wxid_b"],
  })
  assertEquals(ok("group:123@chatroom@wxid_a,wxid_b"), {
    kind: "group",
    groupId: "123@chatroom",
    mentionIds: ["wxid_a", "wxid_b"],
  })
  assertEquals(parseTarget("group:a@b@c")._tag, "Invalid")
})

Deno.test("parseTarget refuses empty targets and empty group ids", () => {
  assertEquals(parseTarget("")._tag, "Invalid")
  assertEquals(parseTarget("group:")._tag, "Invalid")
  assertEquals(parseTarget("group:|wxid_a")._tag, "Invalid")
})
