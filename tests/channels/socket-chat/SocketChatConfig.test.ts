/**
 * `channels.socket-chat`: its spellings, defaults, and how accounts inherit from the top level.
 */
import * as Redacted from "effect/Redacted"
import { socketChatAccounts } from "../../../src/channels/socket-chat/SocketChatConfig.ts"
import { decodeConfigValue } from "../../../src/config/decodeConfig.ts"
import { assertEquals } from "../../support/assert.ts"

const decode = (channels: Record<string, unknown>) => {
  const decoded = decodeConfigValue({ channels })
  if (decoded._tag !== "Ok") throw new Error(decoded.problems.join("\n"))
  return decoded
}

Deno.test("SocketChatConfig is read from socket-chat, socket_chat and socketChat, disabled by default", () => {
  for (const key of ["socket-chat", "socket_chat", "socketChat"]) {
    const decoded = decode({ [key]: { apiKey: "k", dmPolicy: "open" } })
    assertEquals(decoded.warnings, [])
    assertEquals(decoded.config.channels.socketChat.dmPolicy, "open")
  }
  const defaults = decode({}).config.channels.socketChat
  assertEquals(
    [defaults.dmPolicy, defaults.requireMention, defaults.mqttConfigTtlSec, defaults.maxReconnectAttempts],
    ["pairing", true, 300, 10],
  )
  assertEquals([defaults.reconnectBaseDelayMs, defaults.useTls, defaults.groupPolicy], [2000, false, "open"])
  assertEquals(socketChatAccounts(defaults), [])
  assertEquals(
    socketChatAccounts(decode({ "socket-chat": { apiKey: "k" } }).config.channels.socketChat)[0]?.enabled,
    false,
  )
})

Deno.test("SocketChatConfig accounts inherit top-level settings but not the apiKey", () => {
  const config = decode({
    "socket-chat": {
      enabled: true,
      apiKey: "main-key",
      apiBaseUrl: "https://im.example.com",
      allow_from: ["wxid_a"],
      accounts: {
        work: { apiKey: "work-key", dmPolicy: "open" },
        Personal: { apiKey: "p-key", apiBaseUrl: "https://other.example.com", enabled: false },
      },
    },
  }).config.channels.socketChat
  const [main, work, personal] = socketChatAccounts(config)
  assertEquals([main?.accountId, work?.accountId, personal?.accountId], ["default", "work", "Personal"])
  assertEquals([main?.enabled, work?.enabled, personal?.enabled], [true, true, false])
  assertEquals(work?.apiBaseUrl, "https://im.example.com")
  assertEquals([work?.policy.dmPolicy, work?.policy.allowFrom], ["open", ["wxid_a"]])
  assertEquals(Redacted.value(work!.apiKey!), "work-key")
  assertEquals(personal?.apiBaseUrl, "https://other.example.com")
})

Deno.test("SocketChatConfig runs the seed's multi-account example without a top-level account", () => {
  const config = decode({
    "socket-chat": { accounts: { work: { apiKey: "w", apiBaseUrl: "https://w.example.com", enabled: true } } },
  }).config.channels.socketChat
  assertEquals(socketChatAccounts(config).map((a) => [a.accountId, a.enabled]), [["work", true]])
  const off = decode({ "socket-chat": { enabled: false, accounts: { work: { apiKey: "w" } } } }).config.channels
  assertEquals(socketChatAccounts(off.socketChat).map((a) => a.enabled), [false])
})
