/**
 * Contract tests for the `StateStore` port, run against the SQLite and in-memory adapters, plus the durability
 * the SQLite adapter adds (values survive closing and reopening the file).
 */
import { assertEquals } from "../support/assert.ts"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TestClock from "effect/testing/TestClock"
import { Database } from "../../src/storage/Database.ts"
import { StateStore } from "../../src/storage/StateStore.ts"

const adapters: ReadonlyArray<readonly [string, () => Layer.Layer<StateStore, unknown>]> = [
  ["SqliteStateStore", () => StateStore.layer.pipe(Layer.provide(Database.layerMemory))],
  ["MemoryStateStore", () => StateStore.layerMemory],
]

for (const [name, makeLayer] of adapters) {
  const run = <A, E>(effect: Effect.Effect<A, E, StateStore>) =>
    Effect.runPromise(effect.pipe(Effect.provide(Layer.merge(makeLayer(), TestClock.layer()))))

  Deno.test(`${name} returns None for a key that was never set`, async () => {
    const value = await run(StateStore.use((store) => store.get("mochat:main", "cursor")))
    assertEquals(value, Option.none())
  })

  Deno.test(`${name} returns the last value set, as JSON, with the Clock time of the write`, async () => {
    const result = await run(Effect.gen(function* () {
      const store = yield* StateStore
      yield* TestClock.setTime(1_000)
      yield* store.set("mochat:main", "cursor", { seq: 1 })
      yield* TestClock.setTime(2_000)
      const original = { seq: 2, seen: ["a", "é😀"], when: new Date(5), skipped: undefined }
      yield* store.set("mochat:main", "cursor", original)
      original.seq = 99
      return { value: yield* store.get("mochat:main", "cursor"), entries: yield* store.list("mochat:main") }
    }))
    const stored = { seq: 2, seen: ["a", "é😀"], when: "1970-01-01T00:00:00.005Z" }
    assertEquals(result.value, Option.some(stored))
    assertEquals(result.entries, [{ key: "cursor", value: stored, updatedAt: 2_000 }])
  })

  Deno.test(`${name} keeps namespaces apart and lists entries ordered by key`, async () => {
    const result = await run(Effect.gen(function* () {
      const store = yield* StateStore
      yield* store.set("mochat:a", "zeta", 1)
      yield* store.set("mochat:a", "alpha", "text")
      yield* store.set("mochat:b", "alpha", null)
      return {
        a: (yield* store.list("mochat:a")).map((entry) => [entry.key, entry.value]),
        b: (yield* store.list("mochat:b")).map((entry) => [entry.key, entry.value]),
        missing: yield* store.get("mochat:b", "zeta"),
        empty: yield* store.list("mochat:c"),
      }
    }))
    assertEquals(result.a, [["alpha", "text"], ["zeta", 1]])
    assertEquals(result.b, [["alpha", null]])
    assertEquals(result.missing, Option.none())
    assertEquals(result.empty, [])
  })

  Deno.test(`${name} deletes a value and reports whether it existed`, async () => {
    const result = await run(Effect.gen(function* () {
      const store = yield* StateStore
      yield* store.set("status", "telegram", { online: true })
      yield* store.set("status", "slack", { online: false })
      const first = yield* store.delete("status", "telegram")
      const second = yield* store.delete("status", "telegram")
      return { first, second, left: (yield* store.list("status")).map((entry) => entry.key) }
    }))
    assertEquals(result, { first: true, second: false, left: ["slack"] })
  })

  Deno.test(`${name} rejects a value JSON cannot represent and keeps the old one`, async () => {
    const result = await run(Effect.gen(function* () {
      const store = yield* StateStore
      yield* store.set("dedupe", "window", [1, 2])
      const bigint = yield* Effect.flip(store.set("dedupe", "window", { id: 1n }))
      const nothing = yield* Effect.flip(store.set("dedupe", "window", undefined))
      return { bigint, nothing, value: yield* store.get("dedupe", "window") }
    }))
    assertEquals(result.bigint._tag, "StateError")
    assertEquals(result.nothing.message, "Cannot store dedupe/window as JSON: the value has no JSON representation")
    assertEquals(result.value, Option.some([1, 2]))
  })
}

Deno.test("SqliteStateStore keeps values after the database is closed and reopened", async () => {
  const dir = await Deno.makeTempDir()
  try {
    const layer = StateStore.layer.pipe(Layer.provide(Database.layerFile(`${dir}/state.db`)))
    await Effect.runPromise(
      StateStore.use((store) => store.set("mochat:main", "cursor", { seq: 42 })).pipe(
        Effect.provide(layer),
      ),
    )
    const value = await Effect.runPromise(
      StateStore.use((store) => store.get("mochat:main", "cursor")).pipe(
        Effect.provide(layer),
      ),
    )
    assertEquals(value, Option.some({ seq: 42 }))
  } finally {
    await Deno.remove(dir, { recursive: true })
  }
})
