/**
 * The consolidation call's edges: the transcript the model reads, and decoding its `save_memory` call.
 */
import * as Result from "effect/Result"
import { consolidationMessages, readSaveMemory, SAVE_MEMORY } from "../../../src/agent/memory/saveMemory.ts"
import { assert, assertEquals, assertStringIncludes } from "../../support/assert.ts"

const at = Date.UTC(2025, 2, 1, 9, 30)

Deno.test("consolidationMessages shows the current memory and a dated transcript with tool use", () => {
  const [system, user] = consolidationMessages("# Facts\n- likes tea", [
    { role: "user", content: "Check the disk", timestamp: at },
    { role: "assistant", content: null, toolCalls: [{ id: "1", name: "exec", arguments: "{}" }], timestamp: at },
    { role: "tool", content: "x".repeat(5_000), toolCallId: "1", name: "exec", timestamp: at + 60_000 },
  ], "UTC")
  assertStringIncludes(String(system?.content), SAVE_MEMORY)
  const text = String(user?.content)
  assertStringIncludes(text, "- likes tea")
  assertStringIncludes(text, "[2025-03-01 09:30] USER: Check the disk")
  assertStringIncludes(text, "ASSISTANT [used tools: exec]")
  assertStringIncludes(text, "[2025-03-01 09:31] TOOL RESULT (exec): ")
  assert(text.length < 3_000, "long tool results are clipped")
})

Deno.test("readSaveMemory decodes the call, stamps an undated entry, and rejects a reply without the call", () => {
  const call = (args: unknown) => [{ id: "c", name: SAVE_MEMORY, arguments: JSON.stringify(args) }]
  const dated = readSaveMemory(call({ history_entry: "[2025-01-02 03:04] Talked.", memory_update: "m" }), "x")
  assertEquals(Result.getOrThrow(dated), { historyEntry: "[2025-01-02 03:04] Talked.", memoryUpdate: "m" })
  const undated = readSaveMemory(call({ history_entry: "Talked about tea." }), "2025-03-01 09:30")
  assertEquals(Result.getOrThrow(undated), {
    historyEntry: "[2025-03-01 09:30] Talked about tea.",
    memoryUpdate: undefined,
  })
  assert(Result.isFailure(readSaveMemory([], "x")))
  assert(Result.isFailure(readSaveMemory([{ id: "c", name: "exec", arguments: "{}" }], "x")))
  assert(Result.isFailure(readSaveMemory(call({ history_entry: "" }), "x")))
  assert(Result.isFailure(readSaveMemory(call({ history_entry: "ok", memory_update: { facts: 1 } }), "x")))
  assert(Result.isFailure(readSaveMemory([{ id: "c", name: SAVE_MEMORY, arguments: "{not json" }], "x")))
})
