/**
 * When a session is due for memory consolidation and where to cut it. A session is due when its unconsolidated
 * messages reach `memoryWindow`, or their estimated tokens reach `memoryTokenBudget` (0: messages only). The cut
 * keeps the newest `memoryWindow / 2` messages (fewer when they alone exceed half the token budget) and always
 * falls on a user message, so a tool call is never separated from its result and the kept part replays cleanly.
 */
import type { IndexedMessage, StoredMessage } from "../../sessions/SessionStore.ts"

/** A rough token count (4 characters a token, plus a little per message), enough to decide when to consolidate. */
export const estimateTokens = (message: StoredMessage) => {
  const calls = message.toolCalls?.reduce((sum, call) => sum + call.name.length + call.arguments.length, 0) ?? 0
  const characters = (message.content?.length ?? 0) + calls + (message.reasoningContent?.length ?? 0)
  return Math.ceil(characters / 4) + 4
}

export interface PlanOptions {
  readonly memoryWindow: number
  readonly tokenBudget: number
}

/** Whether messages `pending` (all the unconsolidated ones) make the session due for consolidation. */
export const isDue = (pending: ReadonlyArray<StoredMessage>, options: PlanOptions) =>
  pending.length >= options.memoryWindow ||
  (options.tokenBudget > 0 && pending.reduce((sum, message) => sum + estimateTokens(message), 0) >= options.tokenBudget)

/**
 * The index (exclusive) up to which the unconsolidated messages `pending` (oldest first) should be consolidated,
 * or undefined when the session is not due or has no user message to cut at.
 */
export const planConsolidation = (
  pending: ReadonlyArray<IndexedMessage>,
  options: PlanOptions,
): number | undefined => {
  const count = pending.length
  const sizes = pending.map(estimateTokens)
  const tokens = sizes.reduce((sum, size) => sum + size, 0)
  const dueByCount = count >= options.memoryWindow
  const dueByTokens = options.tokenBudget > 0 && tokens >= options.tokenBudget
  if (!dueByCount && !dueByTokens) return undefined
  let keep = Math.floor(options.memoryWindow / 2)
  if (options.tokenBudget > 0) {
    let kept = 0
    let sum = 0
    for (let i = count - 1; i >= 0 && kept < keep; i--) {
      sum += sizes[i]!
      if (sum > options.tokenBudget / 2) break
      kept++
    }
    keep = kept
  }
  const target = Math.min(count - keep, count - 1)
  for (let i = target; i >= 1; i--) if (pending[i]!.role === "user") return pending[i]!.index
  for (let i = target + 1; i < count; i++) if (pending[i]!.role === "user") return pending[i]!.index
  return undefined
}
