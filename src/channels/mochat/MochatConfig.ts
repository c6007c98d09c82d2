/**
 * `channels.mochat`: the Mochat (Claw IM) channel. Keys follow the channel's documentation (snake_case there,
 * camelCase here; both spellings work) with the defaults of the clients that speak the protocol. Off by default:
 * it needs a `claw_token` and an `agent_user_id` from Mochat.
 */
import * as Schema from "effect/Schema"
import { NonNegativeInt, optional, PositiveInt, Secret, StringList, withDefault } from "../../config/fields.ts"

export const ReplyDelayMode = Schema.Literals(["non-mention", "always", "never"])
export type ReplyDelayMode = typeof ReplyDelayMode.Type

export const MochatGroupRule = Schema.Struct({
  requireMention: optional(Schema.Boolean, "Answer in this panel/group only when mentioned (default: mention rule)"),
})

export const MochatMentionConfig = Schema.Struct({
  requireInGroups: withDefault(Schema.Boolean, false, "Answer in panels only when the agent is mentioned"),
})

export const MochatConfig = Schema.Struct({
  enabled: withDefault(Schema.Boolean, false),
  baseUrl: withDefault(Schema.String, "https://mochat.io", "Base URL of the Mochat HTTP API"),
  socketUrl: optional(Schema.String, "Socket.IO URL (default: base_url)"),
  socketPath: withDefault(Schema.String, "/socket.io"),
  socketDisableMsgpack: withDefault(Schema.Boolean, false, "Use Socket.IO's JSON parser instead of msgpack"),
  socketReconnectDelayMs: withDefault(PositiveInt, 1_000, "First reconnect delay; doubles up to the maximum"),
  socketMaxReconnectDelayMs: withDefault(PositiveInt, 10_000),
  socketConnectTimeoutMs: withDefault(PositiveInt, 10_000),
  refreshIntervalMs: withDefault(PositiveInt, 30_000, "Discovery of sessions and panels, and panel polling"),
  watchTimeoutMs: withDefault(PositiveInt, 25_000, "Long-poll timeout of sessions/watch while the socket is down"),
  watchLimit: withDefault(PositiveInt, 100, "Events per watch batch"),
  retryDelayMs: withDefault(PositiveInt, 500, "First delay before retrying a failed HTTP call"),
  maxRetryAttempts: withDefault(
    NonNegativeInt,
    0,
    "Socket reconnect attempts before the channel restarts (0: forever)",
  ),
  clawToken: optional(Secret, "Mochat token (claw_…); sent only as X-Claw-Token and the Socket.IO auth token"),
  agentUserId: withDefault(Schema.String, "", "The agent's Mochat user id (its own messages are ignored)"),
  sessions: withDefault(StringList, ["*"], 'Session ids to serve ("*": every session, discovered)'),
  panels: withDefault(StringList, ["*"], 'Panel ids to serve ("*": every text panel, discovered)'),
  allowFrom: withDefault(StringList, [], "Author ids allowed to talk to the agent (empty: everyone)"),
  mention: withDefault(MochatMentionConfig, {}),
  groups: withDefault(Schema.Record(Schema.String, MochatGroupRule), {}, 'Rules per panel id, group id or "*"'),
  replyDelayMode: withDefault(ReplyDelayMode, "non-mention", "Which panel messages wait for a quiet period"),
  replyDelayMs: withDefault(NonNegativeInt, 120_000, "Quiet period before buffered panel messages are answered"),
  replyMaxWaitMs: withDefault(PositiveInt, 600_000, "Longest a busy panel waits for an answer"),
})
export type MochatConfig = typeof MochatConfig.Type

/** Whether a panel message must mention the agent: `groups[panel]`, `groups[group]`, `groups["*"]`, then `mention`. */
export const requiresMention = (config: MochatConfig, panelId: string, groupId: string | undefined) => {
  const rule = config.groups[panelId] ?? (groupId === undefined ? undefined : config.groups[groupId]) ??
    config.groups["*"]
  return rule?.requireMention ?? config.mention.requireInGroups
}

export const socketUrlOf = (config: MochatConfig) => config.socketUrl ?? config.baseUrl

export const wantsAll = (ids: ReadonlyArray<string>) => ids.includes("*")
