/**
 * PairingStore on SQLite under the TestClock: codes from the unambiguous alphabet, one code per pending request,
 * at most 3 pending per account, expiry after 1 h, approve/revoke/list, and checkAccess acting on it.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/testing/TestClock"
import { checkAccess } from "../../src/security/AccessControl.ts"
import type { AccessPolicy } from "../../src/security/AccessPolicy.ts"
import {
  generatePairingCode,
  MAX_PENDING_PER_ACCOUNT,
  PAIRING_CODE_TTL_MS,
  PairingError,
  PairingStore,
} from "../../src/security/PairingStore.ts"
import { Database } from "../../src/storage/Database.ts"
import { assert, assertEquals, assertMatch } from "../support/assert.ts"

const run = <A, E>(effect: Effect.Effect<A, E, PairingStore>) =>
  Effect.runPromise(effect.pipe(
    Effect.provide(Layer.mergeAll(PairingStore.layer.pipe(Layer.provide(Database.layerMemory)), TestClock.layer())),
  ))

const sender = (senderId: string, accountId = "default") => ({ channel: "socket-chat", accountId, senderId })

Deno.test("generatePairingCode makes 8 characters without 0, O, 1 or I", () => {
  for (let i = 0; i < 200; i++) assertMatch(generatePairingCode(), /^[A-HJ-NP-Z2-9]{8}$/)
})

Deno.test("PairingStore creates one code per pending request and reports repeats as Pending", () =>
  run(Effect.gen(function* () {
    const store = yield* PairingStore
    const first = yield* store.request({ ...sender("wxid_a"), senderName: "Alice" })
    assert(first._tag === "Created")
    const again = yield* store.request(sender("WXID_A"))
    assertEquals(again._tag, "Pending")
    assert(again._tag === "Pending" && again.request.code === first.request.code, "no new code")
    const { pending } = yield* store.list("socket-chat")
    assertEquals(pending.map((r) => [r.senderId, r.senderName]), [["wxid_a", "Alice"]])
  })))

Deno.test("PairingStore keeps at most 3 pending requests per channel account", () =>
  run(Effect.gen(function* () {
    const store = yield* PairingStore
    for (let i = 0; i < MAX_PENDING_PER_ACCOUNT; i++) {
      assertEquals((yield* store.request(sender(`u${i}`)))._tag, "Created")
    }
    assertEquals((yield* store.request(sender("u9")))._tag, "Full")
    assertEquals((yield* store.request(sender("u9", "work")))._tag, "Created", "other accounts are separate")
  })))

Deno.test("PairingStore forgets a request after 1 hour and then issues a new code", () =>
  run(Effect.gen(function* () {
    const store = yield* PairingStore
    const first = yield* store.request(sender("wxid_a"))
    assert(first._tag === "Created")
    yield* TestClock.adjust(PAIRING_CODE_TTL_MS - 1)
    assertEquals((yield* store.request(sender("wxid_a")))._tag, "Pending")
    yield* TestClock.adjust(1)
    assertEquals((yield* store.list()).pending.length, 0)
    const expired = yield* Effect.flip(store.approve("socket-chat", first.request.code))
    assertEquals([expired instanceof PairingError, expired.reason], [true, "UnknownCode"])
    const second = yield* store.request(sender("wxid_a"))
    assertEquals(second._tag, "Created")
  })))

Deno.test("PairingStore approve (any case, dashes ignored) approves the sender, revoke removes it", () =>
  run(Effect.gen(function* () {
    const store = yield* PairingStore
    const created = yield* store.request(sender("wxid_a", "work"))
    assert(created._tag === "Created")
    const code = created.request.code
    const approved = yield* store.approve("Socket-Chat", `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`)
    assertEquals([approved.senderId, approved.accountId], ["wxid_a", "work"])
    assertEquals(yield* store.isApproved("socket-chat", "work", "socket-chat:WXID_A"), true)
    assertEquals(yield* store.isApproved("socket-chat", "default", "wxid_a"), false)
    assertEquals((yield* store.request(sender("wxid_a", "work")))._tag, "Approved")
    assertEquals((yield* store.list()).approved.map((s) => s.senderId), ["wxid_a"])
    assertEquals(yield* store.revoke("socket-chat", "WXID_A"), 1)
    assertEquals(yield* store.isApproved("socket-chat", "work", "wxid_a"), false)
    assertEquals(yield* store.revoke("socket-chat", "wxid_a"), 0)
  })))

Deno.test("PairingStore reads back ids and names containing NUL characters intact", () =>
  run(Effect.gen(function* () {
    const store = yield* PairingStore
    yield* store.request({ ...sender("a\u0000b"), senderName: "N\u0000ame" })
    const [request] = (yield* store.list()).pending
    assertEquals([request?.senderId, request?.senderName], ["a\u0000b", "N\u0000ame"])
  })))

const pairing: AccessPolicy = {
  dmPolicy: "pairing",
  allowFrom: [],
  groupPolicy: "open",
  groups: [],
  groupAllowFrom: [],
  requireMention: true,
}

Deno.test("checkAccess replies with a code only for a new request and admits after approval", () =>
  run(Effect.gen(function* () {
    const access = {
      channel: "socket-chat",
      accountId: "default",
      senderId: "wxid_a",
      isGroup: false,
      mentioned: false,
    }
    const first = yield* checkAccess(pairing, access)
    assert(first._tag === "Reply", `expected a reply, got ${first._tag}`)
    const code = /pairing code: ([A-Z2-9]{8})/.exec(first.text)?.[1]
    assert(code !== undefined, first.text)
    assertEquals((yield* checkAccess(pairing, access))._tag, "Drop")
    yield* PairingStore.use((store) => store.approve("socket-chat", code))
    assertEquals(yield* checkAccess(pairing, access), { _tag: "Admit" })
    assertEquals((yield* checkAccess({ ...pairing, dmPolicy: "allowlist" }, access))._tag, "Admit")
  })))
