/**
 * `channels.socket-chat` (also `socketChat`, `socket_chat`): the MQTT IM bridge of protocols/socket-chat.md. The
 * top-level fields are the account `default`; `accounts.<id>` adds more, each inheriting every top-level field it
 * does not set except `apiKey` and `enabled`. Nothing runs unless configured: the default account runs when
 * `enabled` is true, an extra account unless its own `enabled` (or the top-level one) is false.
 */
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { optional, PositiveInt, Secret, StringList, withDefault } from "../../config/fields.ts"
import { type AccessPolicy, accessPolicyFields, DmPolicy, GroupPolicy } from "../../security/AccessPolicy.ts"

export const CHANNEL = "socket-chat"
export const DEFAULT_ACCOUNT = "default"

const connectionFields = {
  apiBaseUrl: optional(Schema.String, "Backend base URL serving GET /api/openclaw/chat/config"),
  mqttConfigTtlSec: withDefault(PositiveInt, 300, "Seconds the fetched MQTT parameters are reused"),
  maxReconnectAttempts: withDefault(PositiveInt, 10, "Reconnects before reporting failed and retrying slowly"),
  reconnectBaseDelayMs: withDefault(PositiveInt, 2000, "First reconnect delay; doubles per failure up to 60 s"),
  useTls: withDefault(Schema.Boolean, false, "Use mqtts:// when the backend's host carries no scheme"),
}

export const SocketChatAccountConfig = Schema.Struct({
  enabled: optional(Schema.Boolean, "Run this account (default: true unless the top-level enabled is false)"),
  apiKey: optional(Secret, "API key for the backend's config endpoint"),
  apiBaseUrl: optional(Schema.String),
  dmPolicy: optional(DmPolicy),
  allowFrom: optional(StringList),
  groupPolicy: optional(GroupPolicy),
  groups: optional(StringList),
  groupAllowFrom: optional(StringList),
  requireMention: optional(Schema.Boolean),
  mqttConfigTtlSec: optional(PositiveInt),
  maxReconnectAttempts: optional(PositiveInt),
  reconnectBaseDelayMs: optional(PositiveInt),
  useTls: optional(Schema.Boolean),
})
export type SocketChatAccountConfig = typeof SocketChatAccountConfig.Type

export const SocketChatConfig = Schema.Struct({
  enabled: optional(Schema.Boolean, "Run the default account (default: false); false also stops every account"),
  apiKey: optional(Secret, "API key for the backend's config endpoint"),
  ...connectionFields,
  ...accessPolicyFields,
  accounts: withDefault(Schema.Record(Schema.String, SocketChatAccountConfig), {}, "More accounts, by id"),
})
export type SocketChatConfig = typeof SocketChatConfig.Type

/** One account with every field resolved. */
export interface SocketChatAccount {
  readonly accountId: string
  readonly enabled: boolean
  readonly apiKey?: Redacted.Redacted<string>
  readonly apiBaseUrl?: string
  readonly policy: AccessPolicy
  readonly mqttConfigTtlSec: number
  readonly maxReconnectAttempts: number
  readonly reconnectBaseDelayMs: number
  readonly useTls: boolean
}

const resolve = (
  top: SocketChatConfig,
  accountId: string,
  own: SocketChatAccountConfig,
  enabled: boolean,
): SocketChatAccount => ({
  accountId,
  enabled,
  ...(own.apiKey !== undefined ? { apiKey: own.apiKey } : {}),
  ...((own.apiBaseUrl ?? top.apiBaseUrl) !== undefined ? { apiBaseUrl: own.apiBaseUrl ?? top.apiBaseUrl } : {}),
  policy: {
    dmPolicy: own.dmPolicy ?? top.dmPolicy,
    allowFrom: own.allowFrom ?? top.allowFrom,
    groupPolicy: own.groupPolicy ?? top.groupPolicy,
    groups: own.groups ?? top.groups,
    groupAllowFrom: own.groupAllowFrom ?? top.groupAllowFrom,
    requireMention: own.requireMention ?? top.requireMention,
  },
  mqttConfigTtlSec: own.mqttConfigTtlSec ?? top.mqttConfigTtlSec,
  maxReconnectAttempts: own.maxReconnectAttempts ?? top.maxReconnectAttempts,
  reconnectBaseDelayMs: own.reconnectBaseDelayMs ?? top.reconnectBaseDelayMs,
  useTls: own.useTls ?? top.useTls,
})

/**
 * Every configured account, enabled or not: `default` when the top level has an `apiKey` (or is enabled, so a
 * missing key is reported rather than ignored), then `accounts.<id>` in order.
 */
export const socketChatAccounts = (config: SocketChatConfig): ReadonlyArray<SocketChatAccount> => {
  const accounts: Array<SocketChatAccount> = []
  if (config.apiKey !== undefined || config.enabled === true) {
    accounts.push(resolve(
      config,
      DEFAULT_ACCOUNT,
      config.apiKey !== undefined ? { apiKey: config.apiKey } : {},
      config.enabled === true,
    ))
  }
  for (const [id, own] of Object.entries(config.accounts)) {
    if (id === DEFAULT_ACCOUNT && accounts.length > 0) continue
    accounts.push(resolve(config, id, own, config.enabled !== false && own.enabled !== false))
  }
  return accounts
}

/** The account named `accountId` (default: `default`, or the only account). */
export const findAccount = (config: SocketChatConfig, accountId?: string) => {
  const accounts = socketChatAccounts(config)
  if (accountId !== undefined) return accounts.find((a) => a.accountId === accountId)
  return accounts.find((a) => a.accountId === DEFAULT_ACCOUNT) ?? (accounts.length === 1 ? accounts[0] : undefined)
}
