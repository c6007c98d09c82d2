/**
 * Shared by every `SessionStore` adapter: cut a window of messages so a provider accepts it on replay.
 */
import type { StoredMessage } from "./SessionStore.ts"

export const INTERRUPTED_TOOL_RESULT = "Error: this tool call was interrupted before it returned a result."

export const replayable = (window: ReadonlyArray<StoredMessage>): ReadonlyArray<StoredMessage> => {
  const firstUser = window.findIndex((m) => m.role === "user")
  let start = firstUser >= 0 ? firstUser : 0
  while (start < window.length && window[start]!.role === "tool") start++
  const out: Array<StoredMessage> = []
  let pending: Array<{ id: string; name: string }> = []
  const flushPending = (timestamp: number) => {
    for (const call of pending) {
      out.push({ role: "tool", toolCallId: call.id, name: call.name, content: INTERRUPTED_TOOL_RESULT, timestamp })
    }
    pending = []
  }
  for (const message of window.slice(start)) {
    if (message.role === "tool") {
      const match = pending.findIndex((call) => call.id === message.toolCallId)
      if (match < 0) continue
      pending.splice(match, 1)
      out.push(message)
      continue
    }
    flushPending(message.timestamp)
    out.push(message)
    if (message.role === "assistant" && message.toolCalls !== undefined) {
      pending = message.toolCalls.map((call) => ({ id: call.id, name: call.name }))
    }
  }
  flushPending(out[out.length - 1]?.timestamp ?? 0)
  return out
}
