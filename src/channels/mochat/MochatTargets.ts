/**
 * Which sessions and panels the channel serves. Explicit ids come from the config; `"*"` means every session
 * (`sessions/list`) or every text panel (`groups/get`), discovered again every refresh interval. Also keeps the
 * facts other parts need: each panel's `groupId` (to reply) and name, and converseId → sessionId (for
 * `notify:chat.inbox.append`), looked up on demand at most once per `CONVERSE_LOOKUP_MS`.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import { type MochatConfig, wantsAll } from "./MochatConfig.ts"
import type { MochatHttp, SessionInfo } from "./MochatHttp.ts"

export const CONVERSE_LOOKUP_MS = 5_000
const TEXT_PANEL = 0

export interface Discovered {
  readonly sessions: ReadonlyArray<string>
  readonly panels: ReadonlyArray<string>
}

export const makeMochatTargets = (config: MochatConfig, http: MochatHttp) => {
  const sessions = new Set(config.sessions.filter((id) => id !== "*" && id !== ""))
  const panels = new Set(config.panels.filter((id) => id !== "*" && id !== ""))
  const panelGroups = new Map<string, string>()
  const panelNames = new Map<string, string>()
  const converse = new Map<string, string>()
  let lastLookup = Number.NEGATIVE_INFINITY
  let sessionsListed = false

  const learnSessions = (infos: ReadonlyArray<SessionInfo>) => {
    const added: Array<string> = []
    for (const info of infos) {
      if (info.converseId !== undefined) converse.set(info.converseId, info.sessionId)
      if (wantsAll(config.sessions) && !sessions.has(info.sessionId)) {
        sessions.add(info.sessionId)
        added.push(info.sessionId)
      }
    }
    sessionsListed = true
    return added
  }

  const discoverSessions = wantsAll(config.sessions)
    ? http.listSessions().pipe(Effect.tap(() => Clock.currentTimeMillis.pipe(Effect.map((now) => lastLookup = now))))
      .pipe(Effect.map(learnSessions))
    : Effect.succeed<ReadonlyArray<string>>([])

  const discoverPanels = config.panels.length === 0 ? Effect.succeed<ReadonlyArray<string>>([]) : http.getGroup().pipe(
    Effect.map(({ groupId, panels: infos }) => {
      const added: Array<string> = []
      for (const info of infos) {
        const id = info.id ?? info._id
        if (id === undefined || (info.type !== undefined && info.type !== TEXT_PANEL)) continue
        if (groupId !== undefined) panelGroups.set(id, groupId)
        if (info.name !== undefined) panelNames.set(id, info.name)
        if (wantsAll(config.panels) && !panels.has(id)) {
          panels.add(id)
          added.push(id)
        }
      }
      return added
    }),
  )

  return {
    sessionIds: () => [...sessions].sort(),
    panelIds: () => [...panels].sort(),
    /** Whether the first session discovery has happened (sessions found later are new, not backlog). */
    sessionsListed: () => sessionsListed || !wantsAll(config.sessions),
    servesSession: (id: string) => sessions.has(id) || wantsAll(config.sessions),
    servesPanel: (id: string) => panels.has(id) || wantsAll(config.panels),
    groupOf: (panelId: string) => panelGroups.get(panelId),
    nameOf: (panelId: string) => panelNames.get(panelId),
    learnGroup: (panelId: string, groupId: string | undefined) => {
      if (groupId !== undefined) panelGroups.set(panelId, groupId)
    },
    /** Adds a session or panel met in an event (when the config serves all of them); true when new. */
    adopt: (kind: "session" | "panel", id: string) => {
      const set = kind === "session" ? sessions : panels
      if (set.has(id)) return false
      set.add(id)
      return true
    },
    /** One discovery round: the sessions and panels that were not known before. */
    discover: Effect.all({ sessions: discoverSessions, panels: discoverPanels }).pipe(
      Effect.map((found): Discovered => found),
    ),
    /** The session of a DM's converseId, asking `sessions/list` when unknown (throttled). */
    sessionOfConverse: Effect.fn("MochatTargets.sessionOfConverse")(function* (converseId: string) {
      const known = converse.get(converseId)
      const now = yield* Clock.currentTimeMillis
      if (known !== undefined || now - lastLookup < CONVERSE_LOOKUP_MS) return known
      lastLookup = now
      const infos = yield* http.listSessions()
      for (const info of infos) if (info.converseId !== undefined) converse.set(info.converseId, info.sessionId)
      return converse.get(converseId)
    }),
  }
}

export type MochatTargets = ReturnType<typeof makeMochatTargets>
