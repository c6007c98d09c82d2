/**
 * Where a socket-chat message goes, from a chat id or a `claw message send --to` target:
 * - `wxid_xxx`: a direct message (a `socket-chat:` prefix is ignored);
 * - `group:roomid_xxx`: a group;
 * - `group:roomid_xxx|wxid_a,wxid_b`: a group, mentioning those ids (the plugin's current form);
 * - `group:roomid_xxx@wxid_a,wxid_b`: the seed's form, accepted only when unambiguous. WeChat room ids contain
 *   `@` themselves (`123@chatroom`), so a room id ending in `@chatroom` keeps it (`group:123@chatroom@wxid_a`
 *   mentions wxid_a); any other id with more than one `@` is refused — use the `|` form.
 */

export type Target =
  | { readonly kind: "direct"; readonly contactId: string }
  | { readonly kind: "group"; readonly groupId: string; readonly mentionIds: ReadonlyArray<string> }

export type ParsedTarget = { readonly _tag: "Ok"; readonly target: Target } | {
  readonly _tag: "Invalid"
  readonly message: string
}

const ids = (list: string) => list.split(",").map((id) => id.trim()).filter((id) => id !== "")

const group = (groupId: string, mentionIds: ReadonlyArray<string>): ParsedTarget =>
  groupId.trim() === ""
    ? { _tag: "Invalid", message: "The group id is empty" }
    : { _tag: "Ok", target: { kind: "group", groupId: groupId.trim(), mentionIds } }

const CHATROOM = /^(.+?@chatroom)(?:@(.*))?$/i

export const parseTarget = (raw: string): ParsedTarget => {
  let text = raw.trim()
  if (text.toLowerCase().startsWith("socket-chat:")) text = text.slice("socket-chat:".length).trim()
  if (!text.toLowerCase().startsWith("group:")) {
    return text === ""
      ? { _tag: "Invalid", message: "The target is empty" }
      : { _tag: "Ok", target: { kind: "direct", contactId: text } }
  }
  const rest = text.slice("group:".length).trim()
  const bar = rest.indexOf("|")
  if (bar >= 0) return group(rest.slice(0, bar), ids(rest.slice(bar + 1)))
  if (!rest.includes("@")) return group(rest, [])
  const room = CHATROOM.exec(rest)
  if (room !== null) return group(room[1]!, ids(room[2] ?? ""))
  const parts = rest.split("@")
  if (parts.length === 2) return group(parts[0]!, ids(parts[1]!))
  return {
    _tag: "Invalid",
    message: `Ambiguous target "${raw}": the group id may itself contain "@"; ` +
      `write group:<groupId>|<id>,<id> to mention people`,
  }
}

/** The chat id a target's replies use (`group:<id>` or the contact id). */
export const chatIdOf = (target: Target) => target.kind === "group" ? `group:${target.groupId}` : target.contactId
