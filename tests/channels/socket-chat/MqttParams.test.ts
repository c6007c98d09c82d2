/**
 * Fetching the MQTT parameters: the seed's path, the plugin's path on 404, auth and payload failures as
 * ChannelErrors without secrets, hosts with schemes, and the TTL cache under the TestClock.
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/testing/TestClock"
import {
  brokerUrl,
  fetchMqttParams,
  MqttParamsCache,
  parseParams,
} from "../../../src/channels/socket-chat/MqttParams.ts"
import { findAccount } from "../../../src/channels/socket-chat/SocketChatConfig.ts"
import { decodeConfigValue } from "../../../src/config/decodeConfig.ts"
import { assert, assertEquals } from "../../support/assert.ts"
import { mqttParams, startBackend, type TestBackend } from "../../support/socket_chat_backend.ts"

const accountFor = (backend: TestBackend, apiKey: string, extra: Record<string, unknown> = {}) => {
  const decoded = decodeConfigValue({
    channels: { "socket-chat": { enabled: true, apiKey, apiBaseUrl: `${backend.url}/`, ...extra } },
  })
  if (decoded._tag !== "Ok") throw new Error(decoded.problems.join("\n"))
  return findAccount(decoded.config.channels.socketChat)!
}

const withBackend = (body: (backend: TestBackend) => Promise<void>) => async () => {
  const backend = await startBackend()
  try {
    await body(backend)
  } finally {
    await backend.close()
  }
}

Deno.test(
  "fetchMqttParams uses the seed's path, and the plugin's path when that answers 404",
  withBackend(async (backend) => {
    backend.register("k1", mqttParams(1883, "a"))
    const params = await Effect.runPromise(fetchMqttParams(accountFor(backend, "k1")))
    assertEquals([params.url, params.reciveTopic, params.robotId], ["mqtt://127.0.0.1:1883", "/im/a/msg", "wxid_bot_a"])
    assertEquals(Redacted.value(params.password), "pass_a")
    assert(!JSON.stringify(params).includes("pass_a"), "the password stays redacted")
    backend.seedPathMissing = true
    await Effect.runPromise(fetchMqttParams(accountFor(backend, "k1")))
    assertEquals(backend.requests.map((r) => [r.path, r.key]), [
      ["/api/openclaw/chat/config", "k1"],
      ["/api/openclaw/chat/config", "k1"],
      ["/openapi/v1/openclaw/chat/config", "k1"],
    ])
  }),
)

Deno.test(
  "fetchMqttParams reports a rejected key as non-retryable AuthFailed without the key",
  withBackend(async (backend) => {
    const error = await Effect.runPromise(Effect.flip(fetchMqttParams(accountFor(backend, "secret-key-123"))))
    assertEquals([error.reason, error.retryable], ["AuthFailed", false])
    assert(!error.message.includes("secret-key-123"), error.message)
    backend.failWith = 503
    const outage = await Effect.runPromise(Effect.flip(fetchMqttParams(accountFor(backend, "secret-key-123"))))
    assertEquals([outage.reason, outage.retryable], ["Disconnected", true])
  }),
)

Deno.test("fetchMqttParams names the missing apiKey of an account", async () => {
  const decoded = decodeConfigValue({ channels: { socketChat: { enabled: true } } })
  if (decoded._tag !== "Ok") throw new Error(decoded.problems.join("\n"))
  const error = await Effect.runPromise(Effect.flip(fetchMqttParams(findAccount(decoded.config.channels.socketChat)!)))
  assertEquals([error.reason, error.message], ["ConfigInvalid", "Set channels.socket-chat.apiKey"])
})

Deno.test("parseParams accepts hosts with schemes, numeric ports and a data wrapper; refuses bad ports", () => {
  const raw = { ...mqttParams(8883, "b") }
  const wrapped = parseParams(JSON.stringify({ data: { ...raw, host: "mqtts://broker.example.com" } }), false)
  assert(typeof wrapped !== "string", String(wrapped))
  assertEquals(wrapped.url, "mqtts://broker.example.com:8883")
  const numeric = parseParams(JSON.stringify({ ...raw, port: 1883 }), true)
  assert(typeof numeric !== "string" && numeric.url === "mqtts://127.0.0.1:1883", String(numeric))
  assertEquals(typeof parseParams(JSON.stringify({ ...raw, port: "http" }), false), "string")
  assertEquals(typeof parseParams(JSON.stringify({ ...raw, reciveTopic: undefined }), false), "string")
  assertEquals(brokerUrl("wss://h.example.com/mqtt", 443, false), "wss://h.example.com/mqtt")
  assertEquals(brokerUrl("ws://h.example.com:8083/mqtt", 1, false), "ws://h.example.com:8083/mqtt")
})

Deno.test(
  "MqttParamsCache reuses parameters for mqttConfigTtlSec and refetches after, or when fresh is asked",
  withBackend(async (backend) => {
    backend.register("k", mqttParams(1883, "c"))
    const account = accountFor(backend, "k", { mqttConfigTtlSec: 60 })
    const cache = new MqttParamsCache()
    await Effect.runPromise(
      Effect.gen(function* () {
        yield* cache.get(account)
        yield* cache.get(account)
        assertEquals(backend.requests.length, 1)
        yield* TestClock.adjust("59 seconds")
        yield* cache.get(account)
        assertEquals(backend.requests.length, 1)
        yield* TestClock.adjust("1 second")
        yield* cache.get(account)
        assertEquals(backend.requests.length, 2)
        yield* cache.get(account, { fresh: true })
        assertEquals(backend.requests.length, 3)
      }).pipe(Effect.provide(TestClock.layer())),
    )
  }),
)
