/**
 * The `Database` service: how its connection is opened and closed, and how transactions and failures behave.
 */
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { AppConfig } from "../../src/config/AppConfig.ts"
import { Database } from "../../src/storage/Database.ts"
import { assertEquals } from "../support/assert.ts"

const withTempDir = async (f: (dir: string) => Promise<void>) => {
  const dir = await Deno.makeTempDir({ prefix: "claw-db-" })
  try {
    await f(dir)
  } finally {
    await Deno.remove(dir, { recursive: true })
  }
}

const pragma = (name: string) =>
  Database.use((db) => db.use(name, (sql) => Object.values(sql.get(`PRAGMA ${name}`) ?? {})[0]))

Deno.test("Database opens AppConfig.databasePath in WAL mode, creating its directory, and closes it", async () => {
  await withTempDir(async (dir) => {
    const databasePath = `${dir}/nested/home/claw.db`
    const layer = Database.layer.pipe(
      Layer.provide(Layer.merge(AppConfig.layerTest({ home: dir, databasePath }), NodeServices.layer)),
    )
    const settings = await Effect.runPromise(
      Effect.gen(function* () {
        yield* Database.use((db) => db.use("write", (sql) => sql.exec("CREATE TABLE t (a); INSERT INTO t VALUES (1)")))
        return {
          path: (yield* Database).path,
          journal: yield* pragma("journal_mode"),
          synchronous: yield* pragma("synchronous"),
          busyTimeout: yield* pragma("busy_timeout"),
          foreignKeys: yield* pragma("foreign_keys"),
          walWhileOpen: (yield* Effect.promise(() => Deno.stat(`${databasePath}-wal`))).isFile,
        }
      }).pipe(Effect.provide(layer)),
    )
    assertEquals(settings, {
      path: databasePath,
      journal: "wal",
      synchronous: 1,
      busyTimeout: 5000,
      foreignKeys: 1,
      walWhileOpen: true,
    })
    const walAfterClose = await Deno.stat(`${databasePath}-wal`).then(() => true, () => false)
    assertEquals(walAfterClose, false)
  })
})

Deno.test("Database.transaction rolls back every statement when the callback throws", async () => {
  const result = await Effect.runPromise(
    Effect.gen(function* () {
      const db = yield* Database
      yield* db.use("create", (sql) => sql.exec("CREATE TABLE t (a INTEGER NOT NULL)"))
      const committed = yield* db.transaction("insert two", (sql) => {
        sql.run("INSERT INTO t VALUES (?)", 1)
        return sql.run("INSERT INTO t VALUES (?)", 2).changes
      })
      const error = yield* Effect.flip(db.transaction("insert then fail", (sql) => {
        sql.run("INSERT INTO t VALUES (?)", 3)
        sql.run("INSERT INTO t VALUES (?)", null)
      }))
      const rows = yield* db.use("read", (sql) => sql.all("SELECT a FROM t ORDER BY a").map((row) => row.a))
      return { committed, error: [error._tag, error.operation, error.retryable], rows }
    }).pipe(Effect.provide(Database.layerMemory)),
  )
  assertEquals(result, { committed: 1, error: ["DatabaseError", "insert then fail", false], rows: [1, 2] })
})

Deno.test("Database reports a write lock held past busy_timeout as a retryable DatabaseError", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/claw.db`
    const error = await Effect.runPromise(Effect.scoped(Effect.gen(function* () {
      const holder = Context.get(yield* Layer.build(Database.layerFile(path)), Database)
      const waiter = Context.get(yield* Layer.build(Database.layerFile(path)), Database)
      yield* holder.use("lock", (sql) => sql.exec("CREATE TABLE t (a); BEGIN IMMEDIATE"))
      yield* waiter.use("shorten the wait", (sql) => sql.exec("PRAGMA busy_timeout = 20"))
      const error = yield* Effect.flip(
        waiter.transaction("write while locked", (sql) => sql.run("INSERT INTO t VALUES (1)")),
      )
      yield* holder.use("unlock", (sql) => sql.exec("ROLLBACK"))
      return error
    })))
    assertEquals([error.operation, error.retryable], ["write while locked", true])
  })
})
