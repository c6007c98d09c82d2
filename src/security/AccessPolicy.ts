/**
 * Who may talk to the agent through a channel, independent of the platform: the policy fields every channel's
 * config embeds (`dmPolicy`, `allowFrom`, `groupPolicy`, `groups`, `groupAllowFrom`, `requireMention`) and the pure
 * decision over one inbound message. Matching is by platform id only, never by display name (names are spoofable),
 * case-insensitive, and ignores a `<channel>:` prefix (`socket-chat:wxid_a` matches `wxid_a`); `"*"` matches all.
 *
 * The decision needs to know whether the sender was approved by pairing; `AccessControl.ts` asks the
 * `PairingStore` and acts on the decision (drop, answer with a pairing code, or admit).
 */
import * as Schema from "effect/Schema"
import { StringList, withDefault } from "../config/fields.ts"

export const DmPolicy = Schema.Literals(["open", "allowlist", "pairing"])
export type DmPolicy = typeof DmPolicy.Type
export const GroupPolicy = Schema.Literals(["open", "allowlist", "disabled"])
export type GroupPolicy = typeof GroupPolicy.Type

/** The policy fields with their defaults, for a channel's config Struct (`...accessPolicyFields`). */
export const accessPolicyFields = {
  dmPolicy: withDefault(DmPolicy, "pairing", "Direct messages: open, allowlist (allowFrom + paired) or pairing"),
  allowFrom: withDefault(StringList, [], 'Sender ids always allowed in direct messages ("*" = everyone)'),
  groupPolicy: withDefault(GroupPolicy, "open", "Groups: open, allowlist (only the ids in groups) or disabled"),
  groups: withDefault(StringList, [], 'Group ids answered when groupPolicy is allowlist ("*" = all)'),
  groupAllowFrom: withDefault(StringList, [], "Sender ids that may trigger the agent in groups (empty: anyone)"),
  requireMention: withDefault(Schema.Boolean, true, "In groups, answer only when the bot is mentioned"),
}

export interface AccessPolicy {
  readonly dmPolicy: DmPolicy
  readonly allowFrom: ReadonlyArray<string>
  readonly groupPolicy: GroupPolicy
  readonly groups: ReadonlyArray<string>
  readonly groupAllowFrom: ReadonlyArray<string>
  readonly requireMention: boolean
}

/** What is known about one inbound message when deciding. */
export interface AccessRequest {
  /** The channel name, whose `<name>:` prefix is ignored in allowlists. */
  readonly channel: string
  readonly senderId: string
  readonly isGroup: boolean
  readonly groupId?: string
  /** Whether the message mentions the bot (groups only). */
  readonly mentioned: boolean
  /** Whether the sender was approved by pairing for this channel account. */
  readonly paired: boolean
}

export type AccessDecision =
  | { readonly _tag: "Allow" }
  | { readonly _tag: "Drop"; readonly reason: string }
  /** An unknown direct-message sender under `dmPolicy: "pairing"`: offer a pairing code, do not admit. */
  | { readonly _tag: "Pair" }

/** The comparable form of an id: trimmed, lower-case, without a `<channel>:` prefix. */
export const normalizeId = (id: string, channel?: string) => {
  const trimmed = id.trim().toLowerCase()
  const prefix = channel === undefined ? undefined : `${channel.toLowerCase()}:`
  return prefix !== undefined && trimmed.startsWith(prefix) ? trimmed.slice(prefix.length).trim() : trimmed
}

/** Whether `id` is in `list` (by id, case-insensitive, `"*"` for everyone). */
export const isListed = (list: ReadonlyArray<string>, id: string, channel?: string) => {
  const wanted = normalizeId(id, channel)
  return list.some((entry) => entry.trim() === "*" || normalizeId(entry, channel) === wanted)
}

const allow: AccessDecision = { _tag: "Allow" }
const drop = (reason: string): AccessDecision => ({ _tag: "Drop", reason })

/** Decides one inbound message; pure, so every channel applies the same rules in the same order. */
export const decideAccess = (policy: AccessPolicy, request: AccessRequest): AccessDecision => {
  const { channel, senderId } = request
  if (request.isGroup) {
    const groupId = request.groupId ?? ""
    if (policy.groupPolicy === "disabled") return drop("group messages are disabled")
    if (policy.groupPolicy === "allowlist" && !isListed(policy.groups, groupId, channel)) {
      return drop(`group "${groupId}" is not in groups`)
    }
    if (policy.groupAllowFrom.length > 0 && !isListed(policy.groupAllowFrom, senderId, channel)) {
      return drop(`sender "${senderId}" is not in groupAllowFrom`)
    }
    if (policy.requireMention && !request.mentioned) return drop("the bot was not mentioned")
    return allow
  }
  if (policy.dmPolicy === "open") return allow
  if (isListed(policy.allowFrom, senderId, channel) || request.paired) return allow
  return policy.dmPolicy === "pairing" ? { _tag: "Pair" } : drop(`sender "${senderId}" is not in allowFrom`)
}
