/**
 * What the Mochat channel remembers between events and across restarts, in the `StateStore` (namespace
 * `mochat`): the cursor of every session (sent on subscribe so Mochat replays only what is new) and the recent
 * message ids of every panel (panels have no cursor, so a poll after a restart must not answer old messages).
 * In memory it also keeps recent message ids per target for de-duplication and the "cold" sessions whose first
 * batch is only a watermark.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { StateStore } from "../../storage/StateStore.ts"

export const STATE_NAMESPACE = "mochat"
/** Message ids remembered per session or panel for de-duplication. */
export const SEEN_PER_TARGET = 2_000
/** Of those, how many are saved per panel. */
export const SAVED_PER_PANEL = 200

const Cursors = Schema.Record(Schema.String, Schema.Number)
const PanelIds = Schema.Record(Schema.String, Schema.Array(Schema.String))

export type TargetKind = "session" | "panel"

interface Seen {
  readonly ids: Set<string>
  readonly order: Array<string>
}

export const makeMochatState = Effect.fn("MochatState.make")(function* () {
  const store = yield* StateStore
  const load = <S extends Schema.Top & { readonly DecodingServices: never }>(key: string, schema: S) =>
    store.get(STATE_NAMESPACE, key).pipe(
      Effect.flatMap((value) =>
        Option.isNone(value) ? Effect.succeed(undefined) : Schema.decodeUnknownEffect(schema)(value.value)
      ),
      Effect.catch((error) =>
        Effect.logWarning(`Ignoring the saved Mochat ${key}: ${error.message}`).pipe(Effect.as(undefined))
      ),
    ) as Effect.Effect<S["Type"] | undefined>

  const cursors = new Map(Object.entries((yield* load("cursors", Cursors)) ?? {}))
  const savedPanels = (yield* load("panels", PanelIds)) ?? {}
  const seen = new Map<string, Seen>()
  const cold = new Set<string>()
  let dirtyCursors = false
  let dirtyPanels = false

  const seenOf = (key: string) => {
    let entry = seen.get(key)
    if (entry === undefined) seen.set(key, entry = { ids: new Set(), order: [] })
    return entry
  }
  for (const [panelId, ids] of Object.entries(savedPanels)) {
    const entry = seenOf(`panel:${panelId}`)
    for (const id of ids) {
      if (entry.ids.has(id)) continue
      entry.ids.add(id)
      entry.order.push(id)
    }
  }

  return {
    cursorOf: (sessionId: string) => cursors.get(sessionId),
    cursorMap: (): Record<string, number> => Object.fromEntries(cursors),
    /** Raises the session's cursor to `value` (never lowers it); true when it moved. */
    advance: (sessionId: string, value: number) => {
      if (!Number.isInteger(value) || value < 0 || value <= (cursors.get(sessionId) ?? -1)) return false
      cursors.set(sessionId, value)
      dirtyCursors = true
      return true
    },
    /** Sessions without a saved cursor: their first batch only records the watermark. */
    markCold: (sessionIds: Iterable<string>) => {
      for (const id of sessionIds) if (!cursors.has(id)) cold.add(id)
    },
    takeCold: (sessionId: string) => cold.delete(sessionId),
    /** Whether the panel was ever seen (its first poll otherwise only records what is there). */
    knowsPanel: (panelId: string) => seen.has(`panel:${panelId}`),
    /** Records the id; true when it was already there (a duplicate). */
    remember: (kind: TargetKind, targetId: string, messageId: string) => {
      const entry = seenOf(`${kind}:${targetId}`)
      if (entry.ids.has(messageId)) return true
      entry.ids.add(messageId)
      entry.order.push(messageId)
      if (entry.order.length > SEEN_PER_TARGET) entry.ids.delete(entry.order.shift()!)
      if (kind === "panel") dirtyPanels = true
      return false
    },
    /** Writes what changed since the last save; a failing store is logged, never fatal. */
    save: Effect.gen(function* () {
      if (dirtyCursors) {
        dirtyCursors = false
        yield* store.set(STATE_NAMESPACE, "cursors", Object.fromEntries(cursors))
      }
      if (dirtyPanels) {
        dirtyPanels = false
        const panels: Record<string, ReadonlyArray<string>> = {}
        for (const [key, entry] of seen) {
          if (key.startsWith("panel:")) panels[key.slice(6)] = entry.order.slice(-SAVED_PER_PANEL)
        }
        yield* store.set(STATE_NAMESPACE, "panels", panels)
      }
    }).pipe(Effect.catch((error) => Effect.logWarning(`Could not save the Mochat cursors: ${error.message}`))),
  }
})

export type MochatState = Effect.Success<ReturnType<typeof makeMochatState>>
