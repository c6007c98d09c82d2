/**
 * A fake Mochat (Claw IM) server for tests: a real Socket.IO server (msgpack parser unless `msgpack: false`) and
 * the six `/api/claw/*` HTTP endpoints on one HTTP server at 127.0.0.1 (port 0), speaking the wire protocol of
 * shared/protocols/mochat.md. Tokens are checked on both (X-Claw-Token, Socket.IO `auth.token`).
 *
 * API (`startFakeMochat(options)` → `FakeMochat`):
 * - `url`; `sessions`/`panels` hold the data; `userSays(sessionId, author, text)` and `panelSays(panelId, author,
 *   text, meta?)` add a message (pushed to subscribed sockets, waking long-polls); `emitRaw(event, payload)`.
 * - `sends` records every `sessions/send` and `groups/panels/send` body; `nextSend(match)` waits for one.
 *   Sent messages are stored as the agent's own messages (and pushed back, as Mochat does).
 * - `subscriptions` records every subscribe emit; `requests` every HTTP call (path and body).
 * - `socketDown(true|false)` drops and refuses Socket.IO connections (HTTP keeps working);
 *   `failSubscribe` makes subscribe acks fail; `failNextSends(n)` answers the next n sends with a 503; `token` is
 *   the accepted token (change it to reject the client).
 * - `connectedSockets()`; `close()`.
 */
import { Buffer } from "node:buffer"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Server, type Socket } from "socket.io"
import msgpackParser from "socket.io-msgpack-parser"
import { until } from "./wait.ts"

export const AGENT = "agent_bot"
export const GROUP = "group_1"

export interface FakeEvent {
  seq: number
  sessionId: string
  type: string
  timestamp: string
  payload: Record<string, unknown>
}
export interface FakePanelMessage extends Record<string, unknown> {
  messageId: string
  author: string
  content: unknown
}
export interface FakeOptions {
  readonly token?: string
  readonly msgpack?: boolean
  readonly pollingOnly?: boolean
  readonly sessions?: ReadonlyArray<string>
  readonly panels?: ReadonlyArray<string>
  readonly agentUserId?: string
}
interface Subscription {
  readonly event: string
  readonly payload: Record<string, unknown>
}

let counter = 0
const nextId = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${++counter}`

export const startFakeMochat = async (options: FakeOptions = {}) => {
  const agent = options.agentUserId ?? AGENT
  const sessions = new Map<string, { converseId: string; events: Array<FakeEvent> }>()
  const panels = new Map<string, { name: string; type: number; messages: Array<FakePanelMessage> }>()
  for (const id of options.sessions ?? ["session_a"]) sessions.set(id, { converseId: `conv_${id}`, events: [] })
  for (const id of options.panels ?? ["panel_1"]) panels.set(id, { name: `Panel ${id}`, type: 0, messages: [] })
  const sends: Array<{ path: string; body: Record<string, unknown> }> = []
  const requests: Array<{ path: string; body: Record<string, unknown> }> = []
  const subscriptions: Array<Subscription> = []
  const waiters = new Set<() => void>()
  const watched = new Map<Socket, { sessions: Set<string>; panels: Set<string> }>()
  const state = { token: options.token ?? "claw_test_token", failSubscribe: false, down: false, failSends: 0 }
  const wake = () => [...waiters].forEach((w) => w())

  const eventsAfter = (sessionId: string, cursor: number, limit: number) =>
    (sessions.get(sessionId)?.events ?? []).filter((e) => e.seq > cursor).slice(0, limit)
  const cursorOf = (sessionId: string) => sessions.get(sessionId)?.events.at(-1)?.seq ?? 0

  const addSessionMessage = (
    sessionId: string,
    author: string,
    content: unknown,
    meta: Record<string, unknown> = {},
  ) => {
    const session = sessions.get(sessionId) ?? { converseId: `conv_${sessionId}`, events: [] }
    sessions.set(sessionId, session)
    const messageId = nextId("msg")
    const event: FakeEvent = {
      seq: cursorOf(sessionId) + 1,
      sessionId,
      type: "message.add",
      timestamp: new Date().toISOString(),
      payload: { messageId, author, authorInfo: { userId: author, nickname: author.toUpperCase() }, content, meta },
    }
    session.events.push(event)
    for (const [socket, w] of watched) {
      if (w.sessions.has(sessionId)) {
        socket.emit("claw.session.events", { sessionId, cursor: event.seq, events: [event] })
      }
    }
    wake()
    return messageId
  }

  const addPanelMessage = (panelId: string, author: string, content: unknown, meta: Record<string, unknown> = {}) => {
    const panel = panels.get(panelId)
    if (panel === undefined) throw new Error(`no panel ${panelId}`)
    const message: FakePanelMessage = {
      messageId: nextId("pmsg"),
      author,
      authorInfo: { userId: author, nickname: author.toUpperCase() },
      content,
      meta,
      groupId: GROUP,
      converseId: panelId,
      createdAt: new Date().toISOString(),
    }
    panel.messages.push(message)
    for (const [socket, w] of watched) {
      if (w.panels.has(panelId)) socket.emit("notify:chat.message.add", { ...message, _id: message.messageId })
    }
    return message.messageId
  }

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" })
    res.end(JSON.stringify(body))
  }
  const ok = (res: ServerResponse, data: unknown) => reply(res, 200, { code: 200, data })

  const readJson = async (req: IncomingMessage) => {
    const chunks: Array<Buffer> = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString("utf8")
    return (text === "" ? {} : JSON.parse(text)) as Record<string, unknown>
  }

  const watch = async (body: Record<string, unknown>) => {
    const sessionId = String(body.sessionId)
    const cursor = Number(body.cursor ?? 0)
    const limit = Number(body.limit ?? 100)
    const deadline = Date.now() + Math.min(Number(body.timeoutMs ?? 1000), 2000)
    while (eventsAfter(sessionId, cursor, limit).length === 0 && Date.now() < deadline && !closed) {
      await new Promise<void>((resolve) => {
        const done = () => {
          waiters.delete(done)
          clearTimeout(timer)
          resolve()
        }
        const timer = setTimeout(done, Math.max(0, deadline - Date.now()))
        waiters.add(done)
      })
    }
    const events = eventsAfter(sessionId, cursor, limit)
    return { sessionId, cursor: events.at(-1)?.seq ?? cursor, events }
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://x").pathname
    if (req.method !== "POST" || !path.startsWith("/api/claw/")) return reply(res, 404, { message: "Not Found" })
    const body = await readJson(req)
    requests.push({ path, body })
    if (req.headers["x-claw-token"] !== state.token) return reply(res, 401, { code: 401, message: "Unauthorized" })
    if (path === "/api/claw/sessions/list") {
      return ok(res, {
        sessions: [...sessions].map(([sessionId, s]) => ({ sessionId, converseId: s.converseId, status: "open" })),
      })
    }
    if (path === "/api/claw/sessions/watch") return ok(res, await watch(body))
    if (path === "/api/claw/groups/get") {
      return ok(res, { _id: GROUP, panels: [...panels].map(([id, p]) => ({ id, name: p.name, type: p.type })) })
    }
    if (path === "/api/claw/groups/panels/messages") {
      const panel = panels.get(String(body.panelId))
      if (panel === undefined) return reply(res, 200, { code: 404, message: "Panel not found" })
      return ok(res, { messages: panel.messages.slice(-Number(body.limit ?? 50)).reverse() })
    }
    if (path === "/api/claw/sessions/send" || path === "/api/claw/groups/panels/send") {
      const isSession = path === "/api/claw/sessions/send"
      const id = String(isSession ? body.sessionId : body.panelId)
      if (isSession ? !sessions.has(id) : !panels.has(id)) {
        return reply(res, 200, { code: 404, message: `${isSession ? "Session" : "Panel"} not found` })
      }
      if (state.failSends > 0) {
        state.failSends--
        return reply(res, 503, { code: 503, message: "Service Unavailable" })
      }
      sends.push({ path, body })
      const messageId = isSession
        ? addSessionMessage(id, agent, body.content)
        : addPanelMessage(id, agent, body.content)
      return ok(res, { sessionId: id, message: { messageId } })
    }
    return reply(res, 200, { code: 404, message: `Unknown path ${path}` })
  }

  let closed = false
  const http = createServer((req, res) => {
    if (req.url?.startsWith("/socket.io")) return
    handle(req, res).catch((error) => reply(res, 500, { code: 500, message: String(error) }))
  })
  const io = new Server(http, {
    path: "/socket.io",
    ...(options.msgpack === false ? {} : { parser: msgpackParser }),
    ...(options.pollingOnly ? { transports: ["polling" as const] } : {}),
    allowRequest: (_req, callback) => callback(state.down ? "down for maintenance" : null, !state.down),
  })
  io.use((socket, next) =>
    socket.handshake.auth?.token === state.token ? next() : next(new Error("Unauthorized: invalid claw token"))
  )
  io.on("connection", (socket) => {
    const w = { sessions: new Set<string>(), panels: new Set<string>() }
    watched.set(socket, w)
    socket.on("disconnect", () => watched.delete(socket))
    socket.on("com.claw.im.subscribeSessions", (payload: Record<string, unknown>, ack: (r: unknown) => void) => {
      subscriptions.push({ event: "sessions", payload })
      if (state.failSubscribe) return ack({ result: false, message: "subscriptions are paused" })
      const ids = (payload.sessionIds as Array<string>) ?? []
      const cursors = (payload.cursors ?? {}) as Record<string, number>
      ids.forEach((id) => w.sessions.add(id))
      const limit = Number(payload.limit ?? 100)
      ack({
        result: true,
        data: {
          sessions: ids.filter((id) => sessions.has(id)).map((id) => {
            const events = eventsAfter(id, cursors[id] ?? 0, limit)
            return { sessionId: id, cursor: events.at(-1)?.seq ?? cursors[id] ?? 0, events }
          }),
        },
      })
    })
    socket.on("com.claw.im.subscribePanels", (payload: Record<string, unknown>, ack: (r: unknown) => void) => {
      subscriptions.push({ event: "panels", payload })
      if (state.failSubscribe) return ack({ result: false, message: "subscriptions are paused" })
      for (const id of (payload.panelIds as Array<string>) ?? []) w.panels.add(id)
      ack({ result: true, data: {} })
    })
  })
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve))
  const port = (http.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}`,
    agent,
    sessions,
    panels,
    sends,
    requests,
    subscriptions,
    get token() {
      return state.token
    },
    set token(value: string) {
      state.token = value
    },
    set failSubscribe(value: boolean) {
      state.failSubscribe = value
    },
    /** The next `count` sends get a 503. */
    failNextSends: (count: number) => void (state.failSends = count),
    userSays: (sessionId: string, author: string, content: unknown, meta?: Record<string, unknown>) =>
      addSessionMessage(sessionId, author, content, meta),
    panelSays: (panelId: string, author: string, content: unknown, meta?: Record<string, unknown>) =>
      addPanelMessage(panelId, author, content, meta),
    emitRaw: (event: string, payload: unknown) => io.emit(event, payload),
    socketDown: (down: boolean) => {
      state.down = down
      if (down) io.disconnectSockets(true)
    },
    connectedSockets: () => watched.size,
    until,
    /** Waits for the next send matching `match` after the first `after` sends; returns its content. */
    nextSend: async (match: (send: { path: string; body: Record<string, unknown> }) => boolean, timeoutMs = 5_000) => {
      await until(() => sends.some(match), "a matching send", timeoutMs)
      return sends.find(match)!
    },
    close: async () => {
      closed = true
      wake()
      io.disconnectSockets(true)
      const stopped = new Promise<void>((resolve) => io.close(() => resolve()))
      http.closeAllConnections?.()
      await stopped
    },
  }
}

export type FakeMochat = Awaited<ReturnType<typeof startFakeMochat>>
