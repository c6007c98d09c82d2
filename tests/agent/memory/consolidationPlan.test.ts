/**
 * `planConsolidation`: when a session is due, and that the cut keeps the newest half on a user message.
 */
import { estimateTokens, planConsolidation } from "../../../src/agent/memory/consolidationPlan.ts"
import type { IndexedMessage } from "../../../src/sessions/SessionStore.ts"
import { assert, assertEquals } from "../../support/assert.ts"

/** Messages from a compact pattern: u = user, a = assistant, c = assistant with a tool call, t = tool result. */
const session = (pattern: string, offset = 0, size = 10): ReadonlyArray<IndexedMessage> =>
  [...pattern].map((kind, i): IndexedMessage => ({
    index: offset + i,
    timestamp: i,
    role: kind === "u" ? "user" : kind === "t" ? "tool" : "assistant",
    content: "x".repeat(size),
    ...(kind === "c" ? { toolCalls: [{ id: `call-${i}`, name: "exec", arguments: "{}" }] } : {}),
    ...(kind === "t" ? { toolCallId: `call-${i - 1}`, name: "exec" } : {}),
  }))

Deno.test("planConsolidation is not due below the window and the token budget", () => {
  assertEquals(planConsolidation(session("uauaua"), { memoryWindow: 10, tokenBudget: 0 }), undefined)
  assertEquals(planConsolidation(session("uauaua"), { memoryWindow: 10, tokenBudget: 10_000 }), undefined)
})

Deno.test("planConsolidation keeps the newest half of the window and cuts at a user message", () => {
  const pending = session("uauauauaua", 20)
  assertEquals(planConsolidation(pending, { memoryWindow: 10, tokenBudget: 0 }), 24)
  const withTools = session("uctauctauctauctacta", 0)
  const cut = planConsolidation(withTools, { memoryWindow: 10, tokenBudget: 0 })
  assert(cut !== undefined)
  assertEquals(withTools[cut]!.role, "user", "the kept part starts with a user message")
  assertEquals(cut, 12, "the last user message at or before the newest half")
})

Deno.test("planConsolidation moves the cut forward when no user message is early enough, and gives up without one", () => {
  const longTurn = session("ucttttttttttua", 0)
  assertEquals(planConsolidation(longTurn, { memoryWindow: 10, tokenBudget: 0 }), 12)
  assertEquals(planConsolidation(session("uctctctctctctct"), { memoryWindow: 10, tokenBudget: 0 }), undefined)
})

Deno.test("planConsolidation is due by estimated tokens and then keeps at most half the budget", () => {
  const big = session("uauauaua", 0, 400)
  const perMessage = estimateTokens(big[0]!)
  const budget = perMessage * 6
  const cut = planConsolidation(big, { memoryWindow: 100, tokenBudget: budget })
  assertEquals(cut, 4, "3 messages fit in half the budget; the cut moves back to the user message before them")
  assertEquals(planConsolidation(big, { memoryWindow: 100, tokenBudget: perMessage * 9 }), undefined)
})
