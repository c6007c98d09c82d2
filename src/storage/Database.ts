/**
 * The embedded SQLite database: one `node:sqlite` connection per process, in WAL mode so the gateway and a CLI
 * command can use the same file at once (a writer waits up to `busy_timeout` for the other's transaction).
 *
 * Stores own their tables: each creates them with `CREATE TABLE IF NOT EXISTS` when its layer is built, then talks
 * to the connection through `use` and `transaction`. Their callbacks are synchronous on purpose: a transaction
 * never spans a fiber switch, so no other fiber's statement can land inside it and no lock is held while waiting.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as Path from "effect/Path"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { DatabaseSync, type SQLInputValue, type SQLOutputValue, type StatementSync } from "node:sqlite"
import { AppConfig } from "../config/AppConfig.ts"

export type SqlValue = SQLInputValue
export type Row = Readonly<Record<string, SQLOutputValue>>

/**
 * Synchronous access to the connection, valid only inside a `use` or `transaction` callback. Statements are
 * prepared once per SQL text and cached for the life of the connection, so pass values as parameters and keep the
 * text fixed. Every method throws on failure; the enclosing `use`/`transaction` turns that into a `DatabaseError`.
 * Rows come back with a null prototype. Deno's `node:sqlite` cuts TEXT values at the first NUL when reading them:
 * select free text as `CAST(column AS BLOB)` and decode the bytes as UTF-8.
 */
export interface Sql {
  readonly run: (sql: string, ...params: ReadonlyArray<SqlValue>) => { readonly changes: number }
  readonly get: (sql: string, ...params: ReadonlyArray<SqlValue>) => Row | undefined
  readonly all: (sql: string, ...params: ReadonlyArray<SqlValue>) => ReadonlyArray<Row>
  /** Runs one or more statements without parameters (schema creation). */
  readonly exec: (sql: string) => void
}

export class DatabaseError extends Schema.TaggedError<DatabaseError>()("DatabaseError", {
  operation: Schema.String,
  message: Schema.String,
  /** The database stayed locked by another connection past `busy_timeout`; trying again later may succeed. */
  retryable: Schema.Boolean,
}) {}

const SQLITE_BUSY = 5
const SQLITE_LOCKED = 6

/**
 * Translates whatever `node:sqlite` (or a callback) threw. Prepared statements report SQLite's result code in
 * `errcode`; `exec` does not, so a lock is also recognised by SQLite's message for it.
 */
export const toDatabaseError = (operation: string) => (cause: unknown): DatabaseError => {
  const code = Predicate.hasProperty(cause, "errcode") && Predicate.isNumber(cause.errcode)
    ? cause.errcode & 0xff
    : undefined
  const message = cause instanceof Error ? cause.message : String(cause)
  return new DatabaseError({
    operation,
    message,
    retryable: code === SQLITE_BUSY || code === SQLITE_LOCKED || /\bdatabase (table )?is locked\b/.test(message),
  })
}

/**
 * One open SQLite connection.
 *
 * - `use(operation, f)` runs `f` against the connection; anything it throws fails with a `DatabaseError` naming
 *   `operation`. Single statements are atomic on their own.
 * - `transaction(operation, f)` runs `f` inside `BEGIN IMMEDIATE … COMMIT`: the write lock is taken up front (so a
 *   busy database is waited for, never upgraded mid-transaction), and anything `f` throws rolls everything back.
 */
export class Database extends Context.Service<Database, {
  /** The file path, or `":memory:"`. */
  readonly path: string
  readonly use: <A>(operation: string, f: (sql: Sql) => A) => Effect.Effect<A, DatabaseError>
  readonly transaction: <A>(operation: string, f: (sql: Sql) => A) => Effect.Effect<A, DatabaseError>
}>()("claw/storage/Database") {
  /** Opens the file at `path`; its directory must exist. Closed when the layer's scope closes. */
  static readonly layerFile = (path: string) =>
    Layer.effect(
      Database,
      Effect.acquireRelease(
        Effect.try({ try: () => connect(path), catch: toDatabaseError(`open ${path}`) }),
        (connection) => Effect.sync(() => connection.close()),
      ).pipe(Effect.map((connection) => connection.service)),
    )

  /** A private in-memory database, gone when the layer's scope closes. */
  static readonly layerMemory = Database.layerFile(":memory:")

  /** Opens `AppConfig.databasePath`, creating its directory first. */
  static readonly layer = Layer.unwrap(Effect.gen(function* () {
    const config = yield* AppConfig
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const directory = path.dirname(config.databasePath)
    yield* fs.makeDirectory(directory, { recursive: true }).pipe(
      Effect.mapError(toDatabaseError(`create directory ${directory}`)),
    )
    return Database.layerFile(config.databasePath)
  }))
}

const connect = (path: string) => {
  const db = new DatabaseSync(path)
  const statements = new Map<string, StatementSync>()
  const prepare = (sql: string) => {
    const cached = statements.get(sql)
    if (cached !== undefined) return cached
    const statement = db.prepare(sql)
    statements.set(sql, statement)
    return statement
  }
  const sql: Sql = {
    run: (text, ...params) => ({ changes: Number(prepare(text).run(...params).changes) }),
    get: (text, ...params) => prepare(text).get(...params),
    all: (text, ...params) => prepare(text).all(...params),
    exec: (text) => db.exec(text),
  }
  const close = () => {
    statements.clear()
    if (db.isOpen) db.close()
  }
  try {
    db.exec("PRAGMA busy_timeout = 5000")
    db.exec("PRAGMA journal_mode = WAL")
    db.exec("PRAGMA synchronous = NORMAL")
    db.exec("PRAGMA foreign_keys = ON")
  } catch (error) {
    close()
    throw error
  }
  const inTransaction = <A>(f: (sql: Sql) => A): A => {
    sql.run("BEGIN IMMEDIATE")
    try {
      const result = f(sql)
      sql.run("COMMIT")
      return result
    } catch (error) {
      if (db.isTransaction) sql.run("ROLLBACK")
      throw error
    }
  }
  const service = Database.of({
    path,
    use: Effect.fn("Database.use")(<A>(operation: string, f: (sql: Sql) => A) =>
      Effect.try({ try: () => f(sql), catch: toDatabaseError(operation) })
    ),
    transaction: Effect.fn("Database.transaction")(<A>(operation: string, f: (sql: Sql) => A) =>
      Effect.try({ try: () => inTransaction(f), catch: toDatabaseError(operation) })
    ),
  })
  return { service, close }
}
