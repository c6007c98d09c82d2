/**
 * The SQLite `SessionStore`: one row per message, appended in its own small transaction that also bumps the
 * session row, so a crash loses at most the message being written and history is never rewritten. Rows read back
 * are decoded with `Schema`, since the file may have been edited or written by another version. Free text is read
 * as `CAST(… AS BLOB)`: Deno's `node:sqlite` cuts TEXT values at the first NUL when reading them, and tool output
 * (a binary file, say) can contain one.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Database, type DatabaseError, type Row } from "../storage/Database.ts"
import { replayable } from "./replayable.ts"
import { type IndexedMessage, type SessionInfo, SessionStore, type StoredMessage, StoreError } from "./SessionStore.ts"

const schema = `
CREATE TABLE IF NOT EXISTS sessions (
  key TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  consolidated_offset INTEGER NOT NULL DEFAULT 0,
  message_count INTEGER NOT NULL DEFAULT 0,
  metadata TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS sessions_by_updated_at ON sessions (updated_at DESC);
CREATE TABLE IF NOT EXISTS messages (
  session_key TEXT NOT NULL REFERENCES sessions (key) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  role TEXT NOT NULL,
  content TEXT,
  tool_calls TEXT,
  tool_call_id TEXT,
  name TEXT,
  reasoning_content TEXT,
  timestamp INTEGER NOT NULL,
  metadata TEXT,
  PRIMARY KEY (session_key, idx)
);
`

const JsonObject = Schema.Record(Schema.String, Schema.Unknown)
const ToolCallSchema = Schema.Struct({ id: Schema.String, name: Schema.String, arguments: Schema.String })

const MessageRow = Schema.Struct({
  idx: Schema.Number,
  role: Schema.Literals(["system", "user", "assistant", "tool"]),
  content: Schema.NullOr(Schema.Uint8Array),
  tool_calls: Schema.NullOr(Schema.fromJsonString(Schema.Array(ToolCallSchema))),
  tool_call_id: Schema.NullOr(Schema.String),
  name: Schema.NullOr(Schema.String),
  reasoning_content: Schema.NullOr(Schema.Uint8Array),
  timestamp: Schema.Number,
  metadata: Schema.NullOr(Schema.fromJsonString(JsonObject)),
})

const SessionRow = Schema.Struct({
  key: Schema.String,
  created_at: Schema.Number,
  updated_at: Schema.Number,
  consolidated_offset: Schema.Number,
  message_count: Schema.Number,
  metadata: Schema.fromJsonString(JsonObject),
})

const IndexRow = Schema.Struct({ idx: Schema.Number })

const decodeMessageRows = Schema.decodeUnknownSync(Schema.Array(MessageRow))
const decodeSessionRow = Schema.decodeUnknownSync(SessionRow)
const decodeIndexRow = Schema.decodeUnknownSync(IndexRow)

const utf8 = new TextDecoder()

const toMessage = (row: typeof MessageRow.Type): IndexedMessage => ({
  index: row.idx,
  role: row.role,
  content: row.content === null ? null : utf8.decode(row.content),
  ...(row.tool_calls === null ? {} : { toolCalls: row.tool_calls }),
  ...(row.tool_call_id === null ? {} : { toolCallId: row.tool_call_id }),
  ...(row.name === null ? {} : { name: row.name }),
  ...(row.reasoning_content === null ? {} : { reasoningContent: utf8.decode(row.reasoning_content) }),
  timestamp: row.timestamp,
  ...(row.metadata === null ? {} : { metadata: row.metadata }),
})

const toInfo = (row: Row): SessionInfo => {
  const session = decodeSessionRow(row)
  return {
    key: session.key,
    createdAt: session.created_at,
    updatedAt: session.updated_at,
    messageCount: session.message_count,
    consolidatedOffset: session.consolidated_offset,
    metadata: session.metadata,
  }
}

const withoutIndex = ({ index: _, ...message }: IndexedMessage): StoredMessage => message

const jsonOrNull = (value: unknown) => value === undefined ? null : JSON.stringify(value)

const toStoreError = (error: DatabaseError) => new StoreError({ operation: error.operation, message: error.message })

const upsertSession = `
INSERT INTO sessions (key, created_at, updated_at, message_count) VALUES (?, ?, ?, 1)
ON CONFLICT (key) DO UPDATE SET message_count = message_count + 1, updated_at = excluded.updated_at
RETURNING message_count - 1 AS idx`

const insertMessage = `
INSERT INTO messages (session_key, idx, role, content, tool_calls, tool_call_id, name, reasoning_content, timestamp,
  metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const messageColumns = `idx, role, CAST(content AS BLOB) AS content, tool_calls, tool_call_id, name,
  CAST(reasoning_content AS BLOB) AS reasoning_content, timestamp, metadata`

const selectHistory = `
SELECT ${messageColumns} FROM (
  SELECT m.* FROM messages m JOIN sessions s ON s.key = m.session_key
  WHERE m.session_key = ? AND m.idx >= s.consolidated_offset ORDER BY m.idx DESC LIMIT ?
) ORDER BY idx`

const make = Effect.gen(function* () {
  const db = yield* Database
  yield* db.use("create session tables", (sql) => sql.exec(schema))

  const append = Effect.fn("SqliteSessionStore.append")(function* (key: string, message: StoredMessage) {
    const now = yield* Clock.currentTimeMillis
    return yield* db.transaction(`append to session "${key}"`, (sql) => {
      const { idx } = decodeIndexRow(sql.get(upsertSession, key, now, now))
      sql.run(
        insertMessage,
        key,
        idx,
        message.role,
        message.content,
        jsonOrNull(message.toolCalls),
        message.toolCallId ?? null,
        message.name ?? null,
        message.reasoningContent ?? null,
        message.timestamp,
        jsonOrNull(message.metadata),
      )
      return idx
    })
  }, Effect.mapError(toStoreError))

  const history = Effect.fn("SqliteSessionStore.history")(
    (key: string, options: { readonly maxMessages: number }) => {
      const limit = Math.max(0, Math.floor(options.maxMessages))
      return db.use(
        `read history of session "${key}"`,
        (sql) => replayable(decodeMessageRows(sql.all(selectHistory, key, limit)).map(toMessage).map(withoutIndex)),
      )
    },
    Effect.mapError(toStoreError),
  )

  const messages = Effect.fn("SqliteSessionStore.messages")(
    (key: string, range: { readonly from: number; readonly to?: number }) =>
      db.use(`read messages of session "${key}"`, (sql) =>
        decodeMessageRows(
          sql.all(
            `SELECT ${messageColumns} FROM messages WHERE session_key = ? AND idx >= ? AND idx < ? ORDER BY idx`,
            key,
            range.from,
            range.to ?? Number.MAX_SAFE_INTEGER,
          ),
        ).map(toMessage)),
    Effect.mapError(toStoreError),
  )

  const info = Effect.fn("SqliteSessionStore.info")(
    (key: string) =>
      db.use(
        `read session "${key}"`,
        (sql) => Option.map(Option.fromNullishOr(sql.get("SELECT * FROM sessions WHERE key = ?", key)), toInfo),
      ),
    Effect.mapError(toStoreError),
  )

  const list = db.use(
    "list sessions",
    (sql) => sql.all("SELECT * FROM sessions ORDER BY updated_at DESC, key").map(toInfo),
  ).pipe(
    Effect.mapError(toStoreError),
    Effect.withSpan("SqliteSessionStore.list"),
  )

  const setConsolidatedOffset = Effect.fn("SqliteSessionStore.setConsolidatedOffset")(
    function* (key: string, offset: number) {
      if (!Number.isFinite(offset)) {
        return yield* new StoreError({ operation: "setConsolidatedOffset", message: `Invalid offset ${offset}` })
      }
      yield* db.use(`move consolidated offset of session "${key}"`, (sql) =>
        sql.run(
          "UPDATE sessions SET consolidated_offset = MIN(MAX(consolidated_offset, ?), message_count) WHERE key = ?",
          Math.floor(offset),
          key,
        )).pipe(Effect.mapError(toStoreError))
    },
  )

  const updateMetadata = Effect.fn("SqliteSessionStore.updateMetadata")(
    function* (key: string, patch: Readonly<Record<string, unknown>>) {
      const now = yield* Clock.currentTimeMillis
      yield* db.transaction(`update metadata of session "${key}"`, (sql) => {
        const current = Option.match(Option.fromNullishOr(sql.get("SELECT * FROM sessions WHERE key = ?", key)), {
          onNone: () => ({}),
          onSome: (row) => toInfo(row).metadata,
        })
        const changes: Readonly<Record<string, unknown>> = JSON.parse(JSON.stringify(patch))
        const merged = JSON.stringify({ ...current, ...changes })
        sql.run(
          `INSERT INTO sessions (key, created_at, updated_at, metadata) VALUES (?, ?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET metadata = excluded.metadata, updated_at = excluded.updated_at`,
          key,
          now,
          now,
          merged,
        )
      })
    },
    Effect.mapError(toStoreError),
  )

  return SessionStore.of({ append, history, messages, info, list, setConsolidatedOffset, updateMetadata })
})

export class SqliteSessionStore {
  /** `SessionStore` over the `sessions` and `messages` tables of the `Database`, created on first use. */
  static readonly layer: Layer.Layer<SessionStore, DatabaseError, Database> = Layer.effect(SessionStore, make)
}
