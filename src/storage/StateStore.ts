/**
 * The `StateStore` port: small durable JSON values that channels keep between runs (Mochat cursors, dedupe
 * windows, status snapshots), grouped by namespace (usually the channel and account).
 *
 * Contract (checked by `tests/storage/StateStore.test.ts` against both adapters):
 * - `set` stores a JSON copy of the value and stamps it with the `Clock` time; a value JSON cannot represent
 *   (a bigint, a cycle, `undefined`) fails with a `StateError` and leaves the old value in place.
 * - `get` returns the value as JSON gave it back (callers decode it with their own `Schema`), or `None`.
 * - `delete` reports whether there was a value; `list` returns a namespace's entries ordered by key.
 * - Namespaces never see each other's keys. Failures are `StateError`s; the store never throws.
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Database, type DatabaseError } from "./Database.ts"

export interface StateEntry {
  readonly key: string
  readonly value: Schema.Json
  /** Epoch milliseconds of the last `set`. */
  readonly updatedAt: number
}

export class StateError extends Schema.TaggedError<StateError>()("StateError", {
  operation: Schema.String,
  message: Schema.String,
}) {}

export class StateStore extends Context.Service<StateStore, {
  readonly get: (namespace: string, key: string) => Effect.Effect<Option.Option<Schema.Json>, StateError>
  readonly set: (namespace: string, key: string, value: unknown) => Effect.Effect<void, StateError>
  /** Removes the value; succeeds with whether there was one. */
  readonly delete: (namespace: string, key: string) => Effect.Effect<boolean, StateError>
  readonly list: (namespace: string) => Effect.Effect<ReadonlyArray<StateEntry>, StateError>
}>()("claw/storage/StateStore") {
  /** Kept in the `state` table of the `Database`, created on first use. */
  static readonly layer: Layer.Layer<StateStore, DatabaseError, Database> = Layer.effect(
    StateStore,
    Effect.gen(function* () {
      const db = yield* Database
      yield* db.use("create state table", (sql) =>
        sql.exec(`CREATE TABLE IF NOT EXISTS state (
          namespace TEXT NOT NULL,
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (namespace, key)
        )`))
      const toStateError = (error: DatabaseError) =>
        new StateError({ operation: error.operation, message: error.message })
      return StateStore.of({
        get: Effect.fn("StateStore.get")((namespace: string, key: string) =>
          db.use(`read state ${namespace}/${key}`, (sql) =>
            Option.map(
              Option.fromNullishOr(sql.get("SELECT * FROM state WHERE namespace = ? AND key = ?", namespace, key)),
              (row) => decodeEntry(row).value,
            )).pipe(Effect.mapError(toStateError))
        ),
        set: Effect.fn("StateStore.set")(function* (namespace: string, key: string, value: unknown) {
          const text = yield* encode(namespace, key, value)
          const now = yield* Clock.currentTimeMillis
          yield* db.use(`write state ${namespace}/${key}`, (sql) =>
            sql.run(
              `INSERT INTO state (namespace, key, value, updated_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
              namespace,
              key,
              text,
              now,
            )).pipe(Effect.mapError(toStateError))
        }),
        delete: Effect.fn("StateStore.delete")((namespace: string, key: string) =>
          db.use(
            `delete state ${namespace}/${key}`,
            (sql) => sql.run("DELETE FROM state WHERE namespace = ? AND key = ?", namespace, key).changes > 0,
          ).pipe(
            Effect.mapError(toStateError),
          )
        ),
        list: Effect.fn("StateStore.list")((namespace: string) =>
          db.use(
            `list state ${namespace}`,
            (sql) => sql.all("SELECT * FROM state WHERE namespace = ? ORDER BY key", namespace).map(decodeEntry),
          ).pipe(
            Effect.mapError(toStateError),
          )
        ),
      })
    }),
  )

  /** Kept in a `Map` for the life of the layer. */
  static readonly layerMemory: Layer.Layer<StateStore> = Layer.sync(StateStore, () => {
    const namespaces = new Map<string, Map<string, { readonly text: string; readonly updatedAt: number }>>()
    const entries = (namespace: string) => namespaces.get(namespace) ?? new Map()
    return StateStore.of({
      get: Effect.fn("StateStore.get")((namespace: string, key: string) =>
        Effect.sync(() => Option.map(Option.fromNullishOr(entries(namespace).get(key)), ({ text }) => parse(text)))
      ),
      set: Effect.fn("StateStore.set")(function* (namespace: string, key: string, value: unknown) {
        const text = yield* encode(namespace, key, value)
        const updatedAt = yield* Clock.currentTimeMillis
        namespaces.set(namespace, entries(namespace).set(key, { text, updatedAt }))
      }),
      delete: Effect.fn("StateStore.delete")((namespace: string, key: string) =>
        Effect.sync(() => entries(namespace).delete(key))
      ),
      list: Effect.fn("StateStore.list")((namespace: string) =>
        Effect.sync(() =>
          [...entries(namespace)].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([key, { text, updatedAt }]) => ({
            key,
            value: parse(text),
            updatedAt,
          }))
        )
      ),
    })
  })
}

const parse = (text: string): Schema.Json => JSON.parse(text)

const encode = (namespace: string, key: string, value: unknown) =>
  Effect.try({
    try: () => {
      const text = JSON.stringify(value)
      if (text === undefined) throw new Error("the value has no JSON representation")
      return text
    },
    catch: (cause) =>
      new StateError({
        operation: `write state ${namespace}/${key}`,
        message: `Cannot store ${namespace}/${key} as JSON: ${cause instanceof Error ? cause.message : String(cause)}`,
      }),
  })

const StateRow = Schema.Struct({
  key: Schema.String,
  value: Schema.fromJsonString(Schema.Json),
  updated_at: Schema.Number,
})

const decodeStateRow = Schema.decodeUnknownSync(StateRow)

const decodeEntry = (row: unknown): StateEntry => {
  const { key, value, updated_at } = decodeStateRow(row)
  return { key, value, updatedAt: updated_at }
}
