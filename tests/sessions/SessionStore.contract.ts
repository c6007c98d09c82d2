/**
 * The `SessionStore` contract (see the header of `src/sessions/SessionStore.ts`), registered once per adapter by
 * `sessionStoreContract(name, makeLayer)`. Every case gets a fresh store and a `TestClock` starting at 0.
 */
import { assertEquals } from "../support/assert.ts"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TestClock from "effect/testing/TestClock"
import { INTERRUPTED_TOOL_RESULT } from "../../src/sessions/replayable.ts"
import { SessionStore, type StoredMessage } from "../../src/sessions/SessionStore.ts"

const user = (content: string, timestamp = 1): StoredMessage => ({ role: "user", content, timestamp })
const assistant = (content: string, timestamp = 1): StoredMessage => ({ role: "assistant", content, timestamp })
const callTools = (ids: ReadonlyArray<string>, timestamp = 1): StoredMessage => ({
  role: "assistant",
  content: null,
  toolCalls: ids.map((id) => ({ id, name: "read_file", arguments: `{"path":"${id}.txt"}` })),
  timestamp,
})
const toolResult = (id: string, timestamp = 1): StoredMessage => ({
  role: "tool",
  toolCallId: id,
  name: "read_file",
  content: `contents of ${id}`,
  timestamp,
})

const appendAll = (key: string, messages: ReadonlyArray<StoredMessage>) =>
  SessionStore.use((store) => Effect.forEach(messages, (message) => store.append(key, message)))

export const sessionStoreContract = (name: string, makeLayer: () => Layer.Layer<SessionStore, unknown>) => {
  const run = <A, E>(effect: Effect.Effect<A, E, SessionStore>) =>
    Effect.runPromise(effect.pipe(Effect.provide(Layer.merge(makeLayer(), TestClock.layer()))))

  Deno.test(`${name} gives each session consecutive indexes from 0 and keeps sessions apart`, async () => {
    const result = await run(Effect.gen(function* () {
      const store = yield* SessionStore
      const a = yield* appendAll("telegram:1", [user("a0"), assistant("a1"), user("a2")])
      const b = yield* appendAll("slack:1", [user("b0"), assistant("b1")])
      return { a, b, messagesOfB: yield* store.messages("slack:1", { from: 0 }) }
    }))
    assertEquals(result.a, [0, 1, 2])
    assertEquals(result.b, [0, 1])
    assertEquals(result.messagesOfB.map((m) => [m.index, m.content]), [[0, "b0"], [1, "b1"]])
  })

  Deno.test(`${name} returns messages exactly as appended, with timestamps, metadata and tool fields`, async () => {
    const appended: ReadonlyArray<StoredMessage> = [
      { role: "system", content: "You are claw.", timestamp: 1_700_000_000_000 },
      { role: "user", content: "Read it", timestamp: 1_700_000_000_001, metadata: { sender: "ana", ids: [1, 2] } },
      {
        role: "assistant",
        content: null,
        toolCalls: [{ id: "c1", name: "read_file", arguments: '{"path":"ü.txt"}' }],
        reasoningContent: "The user wants the file.",
        timestamp: 1_700_000_000_002,
      },
      { role: "tool", toolCallId: "c1", name: "read_file", content: "", timestamp: 1_700_000_000_003 },
      { role: "assistant", content: "Done.", timestamp: 1_700_000_000_004, metadata: { nested: { ok: true } } },
    ]
    const stored = await run(Effect.gen(function* () {
      yield* appendAll("cli:direct", appended)
      const store = yield* SessionStore
      return {
        all: yield* store.messages("cli:direct", { from: 0 }),
        middle: yield* store.messages("cli:direct", { from: 1, to: 3 }),
        history: yield* store.history("cli:direct", { maxMessages: 100 }),
      }
    }))
    assertEquals(stored.all, appended.map((message, index) => ({ ...message, index })))
    assertEquals(stored.middle.map((m) => m.index), [1, 2])
    assertEquals(stored.history, appended.slice(1))
  })

  Deno.test(`${name} keeps unicode and large content intact`, async () => {
    const large = "ünïcødé 😀 日本語 \u0000 \n".repeat(40_000)
    const content = await run(Effect.gen(function* () {
      yield* appendAll("cli:big", [user(large), assistant("𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓")])
      return (yield* SessionStore.use((store) => store.messages("cli:big", { from: 0 }))).map((m) => m.content)
    }))
    assertEquals(content, [large, "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓"])
  })

  Deno.test(`${name} history returns the newest maxMessages after the consolidated offset`, async () => {
    const turns = Array.from({ length: 10 }, (_, i) => i % 2 === 0 ? user(`m${i}`) : assistant(`m${i}`))
    const result = await run(Effect.gen(function* () {
      const store = yield* SessionStore
      yield* appendAll("s", turns)
      const newest = yield* store.history("s", { maxMessages: 4 })
      const none = yield* store.history("s", { maxMessages: 0 })
      yield* store.setConsolidatedOffset("s", 8)
      const afterOffset = yield* store.history("s", { maxMessages: 4 })
      const stillReadable = yield* store.messages("s", { from: 0, to: 2 })
      const unknown = yield* store.history("nobody", { maxMessages: 4 })
      return { newest, none, afterOffset, stillReadable, unknown }
    }))
    assertEquals(result.newest.map((m) => m.content), ["m6", "m7", "m8", "m9"])
    assertEquals(result.none, [])
    assertEquals(result.afterOffset.map((m) => m.content), ["m8", "m9"])
    assertEquals(result.stillReadable.map((m) => m.content), ["m0", "m1"])
    assertEquals(result.unknown, [])
  })

  Deno.test(`${name} history starts at a user message, never at a tool result`, async () => {
    const result = await run(Effect.gen(function* () {
      const store = yield* SessionStore
      yield* appendAll("s", [
        user("u0"),
        callTools(["a"]),
        toolResult("a"),
        assistant("a3"),
        user("u4"),
        assistant("a5"),
      ])
      yield* appendAll("no-user", [callTools(["x"]), toolResult("x"), assistant("after x")])
      return {
        cutInsideTools: yield* store.history("s", { maxMessages: 4 }),
        noUser: yield* store.history("no-user", { maxMessages: 2 }),
      }
    }))
    assertEquals(result.cutInsideTools.map((m) => m.content), ["u4", "a5"])
    assertEquals(result.noUser.map((m) => [m.role, m.content]), [["assistant", "after x"]])
  })

  Deno.test(`${name} history reports a tool call without a result as interrupted`, async () => {
    const result = await run(Effect.gen(function* () {
      const store = yield* SessionStore
      yield* appendAll("s", [user("u0", 10), callTools(["a", "b"], 11), toolResult("a", 12), user("u3", 13)])
      return yield* store.history("s", { maxMessages: 10 })
    }))
    assertEquals(result, [
      user("u0", 10),
      callTools(["a", "b"], 11),
      toolResult("a", 12),
      { role: "tool", toolCallId: "b", name: "read_file", content: INTERRUPTED_TOOL_RESULT, timestamp: 13 },
      user("u3", 13),
    ])
  })

  Deno.test(`${name} moves the consolidated offset only forward and never past the end`, async () => {
    const result = await run(Effect.gen(function* () {
      const store = yield* SessionStore
      yield* appendAll("s", [user("0"), assistant("1"), user("2"), assistant("3"), user("4"), assistant("5")])
      const offsets: Array<number> = []
      for (const offset of [4, 2, 100, -1]) {
        yield* store.setConsolidatedOffset("s", offset)
        offsets.push(Option.getOrThrow(yield* store.info("s")).consolidatedOffset)
      }
      const invalid = yield* Effect.flip(store.setConsolidatedOffset("s", Number.NaN))
      yield* store.setConsolidatedOffset("nobody", 3)
      return { offsets, invalid: invalid._tag, nobody: yield* store.info("nobody") }
    }))
    assertEquals(result, { offsets: [4, 4, 6, 6], invalid: "StoreError", nobody: Option.none() })
  })

  Deno.test(`${name} merges metadata shallowly and creates the session if needed`, async () => {
    const result = await run(Effect.gen(function* () {
      const store = yield* SessionStore
      yield* TestClock.setTime(500)
      yield* store.updateMetadata("s", { channel: "telegram", prefs: { lang: "de", tz: "CET" } })
      const created = yield* store.info("s")
      yield* store.updateMetadata("s", { prefs: { lang: "fr" }, title: "Trip" })
      const index = yield* store.append("s", user("first"))
      return { created, merged: Option.getOrThrow(yield* store.info("s")).metadata, index }
    }))
    assertEquals(
      result.created,
      Option.some({
        key: "s",
        createdAt: 500,
        updatedAt: 500,
        messageCount: 0,
        consolidatedOffset: 0,
        metadata: { channel: "telegram", prefs: { lang: "de", tz: "CET" } },
      }),
    )
    assertEquals(result.merged, { channel: "telegram", prefs: { lang: "fr" }, title: "Trip" })
    assertEquals(result.index, 0)
  })

  Deno.test(`${name} reports session info and lists sessions most recently updated first`, async () => {
    const result = await run(Effect.gen(function* () {
      const store = yield* SessionStore
      yield* TestClock.setTime(1_000)
      yield* appendAll("old", [user("a"), assistant("b")])
      yield* TestClock.setTime(2_000)
      yield* appendAll("new", [user("c")])
      yield* TestClock.setTime(3_000)
      yield* appendAll("old", [user("d")])
      return { list: yield* store.list, missing: yield* store.info("missing") }
    }))
    assertEquals(result.list, [
      { key: "old", createdAt: 1_000, updatedAt: 3_000, messageCount: 3, consolidatedOffset: 0, metadata: {} },
      { key: "new", createdAt: 2_000, updatedAt: 2_000, messageCount: 1, consolidatedOffset: 0, metadata: {} },
    ])
    assertEquals(result.missing, Option.none())
  })

  Deno.test(`${name} rejects a message JSON cannot represent without using up an index`, async () => {
    const result = await run(Effect.gen(function* () {
      const store = yield* SessionStore
      yield* store.append("s", user("ok"))
      const error = yield* Effect.flip(store.append("s", { ...user("bad"), metadata: { id: 1n } }))
      const next = yield* store.append("s", user("next"))
      return { error: error._tag, next, contents: (yield* store.messages("s", { from: 0 })).map((m) => m.content) }
    }))
    assertEquals(result, { error: "StoreError", next: 1, contents: ["ok", "next"] })
  })
}
