/**
 * The MQTT connection parameters of one account, from the backend: `GET <apiBaseUrl>/api/openclaw/chat/config
 * ?apikey=<apiKey>` (the seed's path), or the published plugin's `/openapi/v1/openclaw/chat/config?apiKey=` when
 * the first answers 404; 10 s timeout; decoded with Schema (note the backend's spelling `reciveTopic`). A
 * `MqttParamsCache` reuses an answer per (apiBaseUrl, apiKey) for `mqttConfigTtlSec`. The API key travels only in
 * the query string and never appears in an error; the MQTT password is kept `Redacted`.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { ChannelError } from "../Channel.ts"
import { schemaProblem } from "./protocol.ts"
import type { SocketChatAccount } from "./SocketChatConfig.ts"

export const SEED_CONFIG_PATH = "/api/openclaw/chat/config"
export const PLUGIN_CONFIG_PATH = "/openapi/v1/openclaw/chat/config"
export const CONFIG_TIMEOUT = "10 seconds"

const Text = Schema.String.pipe(Schema.check(Schema.isNonEmpty()))
const Params = Schema.Struct({
  host: Text,
  port: Schema.Union([Schema.String, Schema.Number]),
  username: Schema.String,
  password: Schema.String,
  clientId: Text,
  reciveTopic: Text,
  sendTopic: Text,
  robotId: Text,
  userId: Schema.optionalKey(Schema.String),
})
const decodeParams = Schema.decodeUnknownExit(Schema.fromJsonString(Params))
const decodeWrapped = Schema.decodeUnknownExit(Schema.fromJsonString(Schema.Struct({ data: Params })))

export interface MqttParams {
  /** The broker URL mqtt.js connects to (`mqtt://host:port`, or the backend's own scheme). */
  readonly url: string
  readonly host: string
  readonly port: number
  readonly username: string
  readonly password: Redacted.Redacted<string>
  readonly clientId: string
  readonly reciveTopic: string
  readonly sendTopic: string
  readonly robotId: string
  readonly userId?: string
}

const failure = (reason: ChannelError["reason"], message: string, retryable: boolean) =>
  new ChannelError({ channel: "socket-chat", reason, message, retryable })

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i

/** `host` may carry a scheme (`mqtts://…`, `wss://…/mqtt`); otherwise `mqtt://` (`mqtts://` with `useTls`). */
export const brokerUrl = (host: string, port: number, useTls: boolean) => {
  if (!SCHEME.test(host)) return `${useTls ? "mqtts" : "mqtt"}://${host}:${port}`
  const url = URL.parse(host)
  if (url === null) return undefined
  if (url.port === "") url.port = String(port)
  return url.toString()
}

const toParams = (raw: typeof Params.Type, useTls: boolean): MqttParams | string => {
  const port = typeof raw.port === "number" ? raw.port : /^\d+$/.test(raw.port.trim()) ? Number(raw.port) : NaN
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return `port: expected 1-65535, got ${JSON.stringify(raw.port)}`
  }
  const url = brokerUrl(raw.host.trim(), port, useTls)
  if (url === undefined) return `host: not a valid address: ${JSON.stringify(raw.host)}`
  const { password, port: _, ...rest } = raw
  return { ...rest, url, port, password: Redacted.make(password) }
}

/** Parses the endpoint's body (the flat object, or the same inside `data`). */
export const parseParams = (body: string, useTls: boolean): MqttParams | string => {
  const flat = decodeParams(body)
  if (Exit.isSuccess(flat)) return toParams(flat.value, useTls)
  const wrapped = decodeWrapped(body)
  if (Exit.isSuccess(wrapped)) return toParams(wrapped.value.data, useTls)
  return schemaProblem(flat.cause)
}

const get = (base: string, path: string, query: string, apiKey: string) =>
  Effect.tryPromise({
    try: async (signal) => {
      const response = await fetch(`${base}${path}?${query}=${encodeURIComponent(apiKey)}`, { signal })
      return { status: response.status, body: await response.text() }
    },
    catch: (error) => {
      const reason = (error instanceof Error ? error.message : String(error)).split(apiKey).join("[redacted]")
        .replace(/\?[^\s)]*/g, "")
      return failure("Disconnected", `Cannot reach ${base}${path}: ${reason}`, true)
    },
  }).pipe(
    Effect.timeoutOrElse({
      duration: CONFIG_TIMEOUT,
      orElse: () => Effect.fail(failure("Disconnected", `${base}${path} did not answer within 10 s`, true)),
    }),
  )

/** Fetches the parameters now (no cache). */
export const fetchMqttParams = Effect.fn("SocketChat.fetchMqttParams")(function* (account: SocketChatAccount) {
  const where = account.accountId === "default"
    ? "channels.socket-chat"
    : `channels.socket-chat.accounts.${account.accountId}`
  if (account.apiKey === undefined) return yield* failure("ConfigInvalid", `Set ${where}.apiKey`, false)
  if (account.apiBaseUrl === undefined) return yield* failure("ConfigInvalid", `Set ${where}.apiBaseUrl`, false)
  const base = account.apiBaseUrl.replace(/\/+$/, "")
  const apiKey = Redacted.value(account.apiKey)
  let answer = yield* get(base, SEED_CONFIG_PATH, "apikey", apiKey)
  let path = SEED_CONFIG_PATH
  if (answer.status === 404) {
    path = PLUGIN_CONFIG_PATH
    answer = yield* get(base, PLUGIN_CONFIG_PATH, "apiKey", apiKey)
  }
  const endpoint = `${base}${path}`
  if (answer.status === 401 || answer.status === 403) {
    return yield* failure("AuthFailed", `${endpoint} rejected the API key (HTTP ${answer.status})`, false)
  }
  if (answer.status < 200 || answer.status >= 300) {
    const retryable = answer.status >= 500 || answer.status === 408 || answer.status === 429
    return yield* failure("Disconnected", `${endpoint} answered HTTP ${answer.status}`, retryable)
  }
  const params = parseParams(answer.body, account.useTls)
  if (typeof params === "string") {
    return yield* failure("ProtocolError", `${endpoint} sent an unusable MQTT config: ${params}`, false)
  }
  return params
})

/** Reuses fetched parameters per (apiBaseUrl, apiKey) for the account's `mqttConfigTtlSec`. */
export class MqttParamsCache {
  readonly #entries = new Map<string, { readonly params: MqttParams; readonly fetchedAt: number }>()

  get(account: SocketChatAccount, options: { readonly fresh?: boolean } = {}) {
    const entries = this.#entries
    return Effect.gen(function* () {
      const key = `${account.apiBaseUrl ?? ""}\u0000${
        account.apiKey === undefined ? "" : Redacted.value(account.apiKey)
      }`
      const now = yield* Clock.currentTimeMillis
      const cached = entries.get(key)
      if (options.fresh !== true && cached !== undefined && now - cached.fetchedAt < account.mqttConfigTtlSec * 1000) {
        return cached.params
      }
      const params = yield* fetchMqttParams(account)
      entries.set(key, { params, fetchedAt: yield* Clock.currentTimeMillis })
      return params
    })
  }
}
