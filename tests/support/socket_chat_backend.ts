/**
 * A fake socket-chat backend for tests: the config endpoint of protocols/socket-chat.md on 127.0.0.1 (port 0),
 * answering `GET /api/openclaw/chat/config?apikey=` (and the plugin's `/openapi/v1/openclaw/chat/config?apiKey=`)
 * with the MQTT parameters registered for that key, and a platform-side MQTT client that plays the IM users.
 *
 * API:
 * - `startBackend()` → `{ url, requests, register(apiKey, params), seedPathMissing, close() }`. Unknown keys get
 *   401. With `seedPathMissing = true` the seed path answers 404 (so the plugin path is used); with `failWith = 503`
 *   every request fails that way.
 * - `mqttParams(brokerPort, name)` builds parameters with topics `/im/<name>/msg` and `/im/<name>/send` and robot id
 *   `wxid_bot_<name>`.
 * - `connectPlatform(brokerUrl, params)` → `Platform`: `userSends(payload)` publishes to `reciveTopic`;
 *   `next(predicate?, timeoutMs?)` resolves with the next JSON the bot published on `sendTopic`; `none(ms)` asserts
 *   nothing arrives. It reconnects and resubscribes by itself after a broker restart.
 */
import mqtt from "mqtt"

export interface BackendParams {
  readonly host: string
  readonly port: string
  readonly username: string
  readonly password: string
  readonly clientId: string
  readonly reciveTopic: string
  readonly sendTopic: string
  readonly robotId: string
  readonly userId: string
}

export interface TestBackend {
  readonly url: string
  readonly requests: Array<{ readonly path: string; readonly key: string | null }>
  readonly register: (apiKey: string, params: BackendParams) => void
  seedPathMissing: boolean
  /** When set, every config request gets this HTTP status (a backend outage). */
  failWith: number | undefined
  readonly close: () => Promise<void>
}

export const mqttParams = (brokerPort: number, name: string): BackendParams => ({
  host: "127.0.0.1",
  port: String(brokerPort),
  username: `user_${name}`,
  password: `pass_${name}`,
  clientId: `claw_${name}_${crypto.randomUUID().slice(0, 8)}`,
  reciveTopic: `/im/${name}/msg`,
  sendTopic: `/im/${name}/send`,
  robotId: `wxid_bot_${name}`,
  userId: `user_${name}`,
})

export const startBackend = (): Promise<TestBackend> => {
  const keys = new Map<string, BackendParams>()
  const requests: Array<{ path: string; key: string | null }> = []
  const backend: { seedPathMissing: boolean; failWith: number | undefined } = {
    seedPathMissing: false,
    failWith: undefined,
  }
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const url = new URL(request.url)
    const seed = url.pathname === "/api/openclaw/chat/config"
    const plugin = url.pathname === "/openapi/v1/openclaw/chat/config"
    const key = seed ? url.searchParams.get("apikey") : plugin ? url.searchParams.get("apiKey") : null
    requests.push({ path: url.pathname, key })
    if (backend.failWith !== undefined) return new Response("unavailable", { status: backend.failWith })
    if (!seed && !plugin || seed && backend.seedPathMissing) return new Response("not found", { status: 404 })
    const params = key === null ? undefined : keys.get(key)
    if (params === undefined) return Response.json({ error: "bad key" }, { status: 401 })
    return Response.json(params)
  })
  return Promise.resolve(Object.assign(backend, {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    register: (apiKey: string, params: BackendParams) => void keys.set(apiKey, params),
    close: () => server.shutdown(),
  }))
}

export interface Platform {
  readonly userSends: (payload: Record<string, unknown> | string | Uint8Array) => Promise<void>
  readonly next: (predicate?: (json: Record<string, unknown>) => boolean, timeoutMs?: number) => Promise<
    Record<string, unknown>
  >
  readonly none: (ms: number) => Promise<void>
  readonly received: Array<Record<string, unknown>>
  readonly close: () => Promise<void>
}

/** Broker user the platform client logs in with (add it to the broker's `users`). */
export const PLATFORM_USER = { username: "platform", password: "platform-secret" }

export const connectPlatform = async (brokerUrl: string, params: BackendParams): Promise<Platform> => {
  const client = mqtt.connect(brokerUrl, {
    clientId: `platform_${crypto.randomUUID()}`,
    reconnectPeriod: 100,
    ...PLATFORM_USER,
  })
  client.on("error", () => {})
  await new Promise<void>((resolve) => client.once("connect", () => resolve()))
  await client.subscribeAsync(params.sendTopic, { qos: 1 })
  const received: Array<Record<string, unknown>> = []
  let taken = 0
  client.on("message", (_topic, payload) => void received.push(JSON.parse(payload.toString())))
  const next = async (predicate: (json: Record<string, unknown>) => boolean = () => true, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs
    while (true) {
      for (let i = taken; i < received.length; i++) {
        if (predicate(received[i]!)) {
          taken = i + 1
          return received[i]!
        }
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for an outbound message: ${JSON.stringify(received)}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
  return {
    userSends: async (payload) => {
      const body = typeof payload === "string" || payload instanceof Uint8Array ? payload : JSON.stringify(payload)
      await client.publishAsync(params.reciveTopic, body as string, { qos: 1 })
    },
    next,
    none: async (ms) => {
      const before = received.length
      await new Promise((resolve) => setTimeout(resolve, ms))
      if (received.length > taken && received.length > before) {
        throw new Error(`expected no outbound message, got ${JSON.stringify(received.slice(before))}`)
      }
    },
    received,
    close: () => client.endAsync(true),
  }
}

let counter = 0
/** An inbound payload as the IM platform sends it (direct text by default). */
export const imMessage = (params: BackendParams, fields: Record<string, unknown>) => ({
  content: "hello",
  robotId: params.robotId,
  senderId: "wxid_user",
  senderName: "User",
  isGroup: false,
  timestamp: Date.now(),
  messageId: `msg-${++counter}-${crypto.randomUUID().slice(0, 6)}`,
  type: "文字",
  ...fields,
})
