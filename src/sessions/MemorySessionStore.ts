/**
 * The in-memory `SessionStore`, for tests and throwaway runs. It follows the same contract as the SQLite store,
 * including JSON semantics: messages and metadata are copied through JSON on the way in, so later changes to the
 * caller's objects never leak into the store and both adapters return the same shapes.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { replayable } from "./replayable.ts"
import { type IndexedMessage, type SessionInfo, SessionStore, type StoredMessage, StoreError } from "./SessionStore.ts"

interface Session {
  info: SessionInfo
  readonly messages: Array<IndexedMessage>
}

const copyThroughJson = <A>(operation: string, value: A) =>
  Effect.try({
    try: (): A => JSON.parse(JSON.stringify(value)),
    catch: (cause) => new StoreError({ operation, message: cause instanceof Error ? cause.message : String(cause) }),
  })

const withoutIndex = ({ index: _, ...message }: IndexedMessage): StoredMessage => message

const make = () => {
  const sessions = new Map<string, Session>()

  const getOrCreate = (key: string, now: number): Session => {
    const existing = sessions.get(key)
    if (existing !== undefined) return existing
    const created: Session = {
      info: { key, createdAt: now, updatedAt: now, messageCount: 0, consolidatedOffset: 0, metadata: {} },
      messages: [],
    }
    sessions.set(key, created)
    return created
  }

  const append = Effect.fn("MemorySessionStore.append")(function* (key: string, message: StoredMessage) {
    const copy = yield* copyThroughJson("append", message)
    const now = yield* Clock.currentTimeMillis
    const session = getOrCreate(key, now)
    const index = session.messages.length
    session.messages.push({ ...copy, index })
    session.info = { ...session.info, updatedAt: now, messageCount: index + 1 }
    return index
  })

  const history = Effect.fn("MemorySessionStore.history")(
    (key: string, options: { readonly maxMessages: number }) =>
      Effect.sync((): ReadonlyArray<StoredMessage> => {
        const session = sessions.get(key)
        const limit = Math.max(0, Math.floor(options.maxMessages))
        if (session === undefined || limit === 0) return []
        const start = Math.max(session.info.consolidatedOffset, session.messages.length - limit)
        return replayable(session.messages.slice(start).map(withoutIndex))
      }),
  )

  const messages = Effect.fn("MemorySessionStore.messages")(
    (key: string, range: { readonly from: number; readonly to?: number }) =>
      Effect.sync(() =>
        (sessions.get(key)?.messages ?? []).filter((message) =>
          message.index >= range.from && message.index < (range.to ?? Infinity)
        )
      ),
  )

  const info = Effect.fn("MemorySessionStore.info")((key: string) =>
    Effect.sync(() => Option.map(Option.fromNullishOr(sessions.get(key)), (session) => session.info))
  )

  const list = Effect.sync(() =>
    [...sessions.values()]
      .map((session) => session.info)
      .sort((a, b) => b.updatedAt - a.updatedAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  ).pipe(Effect.withSpan("MemorySessionStore.list"))

  const setConsolidatedOffset = Effect.fn("MemorySessionStore.setConsolidatedOffset")(
    function* (key: string, offset: number) {
      if (!Number.isFinite(offset)) {
        return yield* new StoreError({ operation: "setConsolidatedOffset", message: `Invalid offset ${offset}` })
      }
      const session = sessions.get(key)
      if (session === undefined) return
      const { consolidatedOffset, messageCount } = session.info
      session.info = {
        ...session.info,
        consolidatedOffset: Math.min(Math.max(consolidatedOffset, Math.floor(offset)), messageCount),
      }
    },
  )

  const updateMetadata = Effect.fn("MemorySessionStore.updateMetadata")(
    function* (key: string, patch: Readonly<Record<string, unknown>>) {
      const changes = yield* copyThroughJson("updateMetadata", patch)
      const now = yield* Clock.currentTimeMillis
      const session = getOrCreate(key, now)
      session.info = { ...session.info, updatedAt: now, metadata: { ...session.info.metadata, ...changes } }
    },
  )

  return SessionStore.of({ append, history, messages, info, list, setConsolidatedOffset, updateMetadata })
}

export class MemorySessionStore {
  /** `SessionStore` kept in a `Map` for the life of the layer. */
  static readonly layer: Layer.Layer<SessionStore> = Layer.sync(SessionStore, make)
}
