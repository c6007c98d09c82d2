/**
 * Runs the `SessionStore` contract against the SQLite adapter, then checks what only a real file can show: every
 * committed message survives a SIGKILL of the writer, and two connections (a running gateway and a CLI command)
 * can append to the same file at once.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { SessionStore, type StoredMessage } from "../../src/sessions/SessionStore.ts"
import { SqliteSessionStore } from "../../src/sessions/SqliteSessionStore.ts"
import { Database } from "../../src/storage/Database.ts"
import { assert, assertEquals } from "../support/assert.ts"
import { writerMessage } from "../support/session_writer.ts"
import { sessionStoreContract } from "./SessionStore.contract.ts"

sessionStoreContract("SqliteSessionStore", () => SqliteSessionStore.layer.pipe(Layer.provide(Database.layerMemory)))

const storeOnFile = (path: string) => SqliteSessionStore.layer.pipe(Layer.provideMerge(Database.layerFile(path)))

const withTempDir = async (f: (dir: string) => Promise<void>) => {
  const dir = await Deno.makeTempDir({ prefix: "claw-sessions-" })
  try {
    await f(dir)
  } finally {
    await Deno.remove(dir, { recursive: true })
  }
}

const integrityCheck = Database.use((db) =>
  db.use("integrity check", (sql) => sql.get("PRAGMA integrity_check")?.integrity_check)
)

/** A `session_writer.ts` process; `committed` fills in as it prints, until its stdout closes. */
const startWriter = (dbPath: string, key: string) => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../support/session_writer.ts", import.meta.url).pathname, dbPath, key],
    cwd: new URL("../../", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).spawn()
  const committed: Array<number> = []
  const stdoutDone = (async () => {
    let buffer = ""
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      const lines = (buffer + chunk).split("\n")
      buffer = lines.pop() ?? ""
      for (const line of lines) committed.push(Number(line.replace("committed ", "")))
    }
  })()
  const stderr = new Response(child.stderr).text()
  const waitFor = async (count: number) => {
    const deadline = Date.now() + 30_000
    while (committed.length < count) {
      if (Date.now() > deadline) throw new Error(`Writer committed only ${committed.length} of ${count} messages`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
  const kill = async (signal: Deno.Signal) => {
    child.kill(signal)
    const status = await child.status
    await stdoutDone
    return { status, stderr: await stderr }
  }
  return { committed, waitFor, kill }
}

Deno.test("SqliteSessionStore keeps every committed message when the writer is killed", async () => {
  await withTempDir(async (dir) => {
    const dbPath = `${dir}/claw.db`
    const writer = startWriter(dbPath, "writer")
    await writer.waitFor(200)
    const { status } = await writer.kill("SIGKILL")
    assertEquals(status.signal, "SIGKILL")
    const committed = writer.committed
    assertEquals(committed, committed.map((_, i) => i))

    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* SessionStore
        const stored = yield* store.messages("writer", { from: 0 })
        const info = Option.getOrThrow(yield* store.info("writer"))
        const next = yield* store.append("writer", { role: "user", content: "after the crash", timestamp: 1 })
        return { stored, info, next, integrity: yield* integrityCheck }
      }).pipe(Effect.provide(storeOnFile(dbPath))),
    )

    assert(result.stored.length >= committed.length, `${result.stored.length} stored < ${committed.length} committed`)
    for (const index of committed) {
      const message = result.stored[index]
      assertEquals([message?.index, message?.content, message?.metadata], [index, writerMessage(index), { n: index }])
    }
    assertEquals(result.info.messageCount, result.stored.length)
    assertEquals(result.next, result.stored.length)
    assertEquals(result.integrity, "ok")
  })
})

const note = (content: string): StoredMessage => ({ role: "user", content, timestamp: 1 })

Deno.test("SqliteSessionStore lets two connections to one file append to different sessions interleaved", async () => {
  await withTempDir(async (dir) => {
    const dbPath = `${dir}/claw.db`
    const result = await Effect.runPromise(Effect.scoped(Effect.gen(function* () {
      const gateway = yield* Layer.build(storeOnFile(dbPath))
      const cli = yield* Layer.build(storeOnFile(dbPath))
      const [a, b] = [Context.get(gateway, SessionStore), Context.get(cli, SessionStore)]
      const indexes = yield* Effect.forEach(
        Array.from({ length: 100 }, (_, i) => i),
        (i) => Effect.all([a.append("gateway:1", note(`g${i}`)), b.append("cli:1", note(`c${i}`))]),
        { concurrency: 4 },
      )
      return {
        separateConnections: Context.get(gateway, Database) !== Context.get(cli, Database),
        indexes,
        seenByCli: (yield* b.messages("gateway:1", { from: 0 })).map((m) => m.content),
        seenByGateway: (yield* a.messages("cli:1", { from: 0 })).map((m) => m.content),
      }
    })))
    assert(result.separateConnections)
    assertEquals(new Set(result.indexes.flat()).size, 100)
    assertEquals(result.seenByCli.toSorted(), Array.from({ length: 100 }, (_, i) => `g${i}`).toSorted())
    assertEquals(result.seenByGateway.length, 100)
  })
})

Deno.test("SqliteSessionStore appends while another process is writing to the same file", async () => {
  await withTempDir(async (dir) => {
    const dbPath = `${dir}/claw.db`
    const writer = startWriter(dbPath, "gateway:1")
    await writer.waitFor(1)
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* SessionStore
        const writerBefore = writer.committed.length
        const indexes = yield* Effect.forEach(
          Array.from({ length: 150 }, (_, i) => i),
          (i) => store.append("cli:1", note(`c${i}`)).pipe(Effect.tap(() => Effect.sleep("1 millis"))),
        )
        const writerDuring = writer.committed.length - writerBefore
        yield* Effect.promise(() => writer.kill("SIGTERM"))
        return {
          indexes,
          writerDuring,
          cli: (yield* store.messages("cli:1", { from: 0 })).map((m) => m.content),
          gateway: yield* store.messages("gateway:1", { from: 0 }),
          integrity: yield* integrityCheck,
        }
      }).pipe(Effect.provide(storeOnFile(dbPath))),
    )
    assert(result.writerDuring > 0, "the writer process made no progress while this process appended")
    assertEquals(result.indexes, Array.from({ length: 150 }, (_, i) => i))
    assertEquals(result.cli, Array.from({ length: 150 }, (_, i) => `c${i}`))
    for (const index of writer.committed) assertEquals(result.gateway[index]?.content, writerMessage(index))
    assertEquals(result.integrity, "ok")
  })
})
