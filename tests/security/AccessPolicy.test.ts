/**
 * The pure access decision: DM policies, allowlists by id (prefix, case, "*"), group policy, groupAllowFrom and
 * the mention gate.
 */
import { type AccessPolicy, decideAccess, isListed, normalizeId } from "../../src/security/AccessPolicy.ts"
import { assertEquals } from "../support/assert.ts"

const policy = (overrides: Partial<AccessPolicy> = {}): AccessPolicy => ({
  dmPolicy: "pairing",
  allowFrom: [],
  groupPolicy: "open",
  groups: [],
  groupAllowFrom: [],
  requireMention: true,
  ...overrides,
})

const dm = (senderId: string, paired = false) => ({
  channel: "socket-chat",
  senderId,
  isGroup: false,
  mentioned: false,
  paired,
})

const inGroup = (groupId: string, senderId: string, mentioned: boolean) => ({
  channel: "socket-chat",
  senderId,
  isGroup: true,
  groupId,
  mentioned,
  paired: false,
})

Deno.test("normalizeId trims, lower-cases and strips the channel prefix", () => {
  assertEquals(normalizeId("  Socket-Chat:WXID_A ", "socket-chat"), "wxid_a")
  assertEquals(normalizeId("mochat:WXID_A", "socket-chat"), "mochat:wxid_a")
  assertEquals(isListed(["*"], "anyone"), true)
  assertEquals(isListed(["socket-chat:Alice"], "ALICE", "socket-chat"), true)
  assertEquals(isListed(["alice"], "alicex", "socket-chat"), false)
})

Deno.test("decideAccess lets everyone in with dmPolicy open", () => {
  assertEquals(decideAccess(policy({ dmPolicy: "open" }), dm("stranger")), { _tag: "Allow" })
})

Deno.test("decideAccess under allowlist admits listed or paired senders and drops the rest", () => {
  const p = policy({ dmPolicy: "allowlist", allowFrom: ["socket-chat:Friend"] })
  assertEquals(decideAccess(p, dm("friend")), { _tag: "Allow" })
  assertEquals(decideAccess(p, dm("paired-one", true)), { _tag: "Allow" })
  assertEquals(decideAccess(p, dm("stranger"))._tag, "Drop")
  assertEquals(decideAccess(policy({ dmPolicy: "allowlist", allowFrom: ["*"] }), dm("x")), { _tag: "Allow" })
})

Deno.test("decideAccess under pairing offers pairing to unknown senders only", () => {
  const p = policy({ allowFrom: ["friend"] })
  assertEquals(decideAccess(p, dm("stranger")), { _tag: "Pair" })
  assertEquals(decideAccess(p, dm("FRIEND")), { _tag: "Allow" })
  assertEquals(decideAccess(p, dm("stranger", true)), { _tag: "Allow" })
})

Deno.test("decideAccess in groups applies groupPolicy, groupAllowFrom, then the mention gate", () => {
  assertEquals(decideAccess(policy(), inGroup("g1", "anyone", true)), { _tag: "Allow" })
  assertEquals(decideAccess(policy(), inGroup("g1", "anyone", false))._tag, "Drop")
  assertEquals(decideAccess(policy({ requireMention: false }), inGroup("g1", "anyone", false)), { _tag: "Allow" })
  assertEquals(decideAccess(policy({ groupPolicy: "disabled" }), inGroup("g1", "a", true))._tag, "Drop")
  const listed = policy({ groupPolicy: "allowlist", groups: ["G1"] })
  assertEquals(decideAccess(listed, inGroup("g1", "a", true)), { _tag: "Allow" })
  assertEquals(decideAccess(listed, inGroup("g2", "a", true))._tag, "Drop")
  const senders = policy({ groupAllowFrom: ["boss"] })
  assertEquals(decideAccess(senders, inGroup("g1", "boss", true)), { _tag: "Allow" })
  assertEquals(decideAccess(senders, inGroup("g1", "intern", true))._tag, "Drop")
})

Deno.test("decideAccess never pairs in groups, whatever the DM policy", () => {
  assertEquals(decideAccess(policy({ dmPolicy: "pairing" }), inGroup("g1", "stranger", true)), { _tag: "Allow" })
})
