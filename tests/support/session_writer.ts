/**
 * A separate process that appends to a session through the real SQLite store until it is killed, for the
 * durability and concurrency tests of `SqliteSessionStore`.
 *
 * Usage: `deno run -A tests/support/session_writer.ts <db-path> [session-key]` (key defaults to `writer`).
 * Message n of the session has content `writerMessage(n)` and metadata `{ n }` (it continues after messages already
 * there, and assumes nobody else writes to that key). After each append succeeds it prints
 * `committed <n>` on its own line, so every index it printed must survive any kill.
 */
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { SessionStore } from "../../src/sessions/SessionStore.ts"
import { SqliteSessionStore } from "../../src/sessions/SqliteSessionStore.ts"
import { Database } from "../../src/storage/Database.ts"

/** The content the writer gives message `n`. */
export const writerMessage = (n: number) => `message ${n} ✓ ${"x".repeat(n % 97)}`

const writeForever = (key: string) =>
  Effect.gen(function* () {
    const store = yield* SessionStore
    const start = Option.match(yield* store.info(key), { onNone: () => 0, onSome: (info) => info.messageCount })
    for (let n = start;; n++) {
      const index = yield* store.append(key, {
        role: n % 2 === 0 ? "user" : "assistant",
        content: writerMessage(n),
        timestamp: yield* Clock.currentTimeMillis,
        metadata: { n },
      })
      yield* Console.log(`committed ${index}`)
    }
  })

if (import.meta.main) {
  const [dbPath, key = "writer"] = Deno.args
  if (dbPath === undefined) {
    console.error("Usage: session_writer.ts <db-path> [session-key]")
    Deno.exit(2)
  }
  const layer = SqliteSessionStore.layer.pipe(Layer.provide(Database.layerFile(dbPath)))
  await Effect.runPromise(writeForever(key).pipe(Effect.provide(layer)))
}
