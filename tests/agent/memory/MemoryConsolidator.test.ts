/**
 * Memory consolidation through the assembled agent and the fake LLM: background after a turn, what it writes,
 * failure leaving everything as it was, one at a time per session, and `/new` archiving first.
 */
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import { MemoryConsolidator, retryDelayMs } from "../../../src/agent/memory/MemoryConsolidator.ts"
import { SessionStore } from "../../../src/sessions/SessionStore.ts"
import { assert, assertEquals, assertStringIncludes } from "../../support/assert.ts"
import { type AgentHarness, eventually, makeAgentHarness } from "../../support/agent_harness.ts"
import { defaultAnswer, type FakeResponse, type RecordedRequest } from "../../support/fake_llm.ts"

const KEY = "test:chat"
const START = Date.UTC(2025, 2, 1, 9, 0)

const isConsolidation = (request: RecordedRequest) =>
  ((request.body.tools ?? []) as ReadonlyArray<{ function: { name: string } }>).some((tool) =>
    tool.function.name === "save_memory"
  )

const saveMemory = (history_entry: string, memory_update: string): FakeResponse => ({
  toolCalls: [{ name: "save_memory", arguments: { history_entry, memory_update } }],
})

const consolidations = (h: AgentHarness) => h.llm.requests.filter(isConsolidation)
const transcriptOf = (request: RecordedRequest) => String(request.body.messages?.at(-1)?.content)

/** Seeds `count` alternating user/assistant messages `m0`, `m1`, … one minute apart. */
const seed = (h: AgentHarness, count: number) =>
  h.run(Effect.gen(function* () {
    const store = yield* SessionStore
    for (let i = 0; i < count; i++) {
      yield* store.append(KEY, {
        role: i % 2 === 0 ? "user" : "assistant",
        content: `m${i}`,
        timestamp: START + i * 60_000,
      })
    }
  }))

const offsetOf = (h: AgentHarness) =>
  h.run(
    SessionStore.use((store) => store.info(KEY)).pipe(Effect.map((info) => Option.getOrThrow(info).consolidatedOffset)),
  )

const countOf = (h: AgentHarness) =>
  h.run(SessionStore.use((store) => store.messages(KEY, { from: 0 })).pipe(Effect.map((all) => all.length)))

const read = (file: string) => Deno.readTextFile(file).catch(() => "")

const withHarness = (test: (h: AgentHarness) => Promise<void>) => async () => {
  const h = await makeAgentHarness({ defaults: { memoryWindow: 6, memoryTokenBudget: 0 } })
  try {
    await test(h)
  } finally {
    await h.dispose()
  }
}

Deno.test(
  "MemoryConsolidator folds the older part into HISTORY.md and MEMORY.md in the background after a turn",
  withHarness(async (h) => {
    await seed(h, 6)
    const held = h.gate()
    h.llm.setHandler(async (request) => {
      if (!isConsolidation(request)) return { text: "Sure." }
      await held.wait
      return saveMemory("User talked about tea.", "# Long-term memory\n- The user likes green tea.")
    })
    const reply = await h.ask("hello")
    assertEquals(reply.content, "Sure.", "the reply does not wait for the consolidation")
    await eventually(() => consolidations(h).length === 1, "the consolidation request")
    assertEquals(await read(`${h.workspace}/memory/HISTORY.md`), "")
    assertEquals(await offsetOf(h), 0)
    held.open()
    await eventually(async () => (await read(`${h.workspace}/memory/HISTORY.md`)) !== "", "the history entry")
    assertEquals(await read(`${h.workspace}/memory/HISTORY.md`), "[2025-03-01 09:00] User talked about tea.\n\n")
    assertEquals(await read(`${h.workspace}/memory/MEMORY.md`), "# Long-term memory\n- The user likes green tea.\n")
    const transcript = transcriptOf(consolidations(h)[0]!)
    assertStringIncludes(transcript, "[2025-03-01 09:03] ASSISTANT: m3")
    assert(!transcript.includes("m4"), "the newest half is kept out of the consolidation")
    await eventually(async () => (await offsetOf(h)) === 4, "the offset to advance to the cut")
    assertEquals(await countOf(h), 8, "messages are never deleted")
    await h.ask("next")
    const next = h.llm.requests.filter((r) => !isConsolidation(r)).at(-1)!
    const contents = (next.body.messages ?? []).map((m) => String(m.content))
    assert(!contents.includes("m3") && contents.includes("m4"), "the next turn replays from the offset")
  }),
)

Deno.test(
  "MemoryConsolidator leaves everything as it was when the model answers without save_memory, and retries later",
  withHarness(async (h) => {
    await seed(h, 6)
    await Deno.writeTextFile(`${h.workspace}/memory/MEMORY.md`, "# Memory\n- old fact\n")
    h.llm.setHandler((request) => isConsolidation(request) ? { text: "Here is a summary." } : { text: "Sure." })
    await h.ask("hello")
    await eventually(() => consolidations(h).length === 1, "the background attempt")
    const error = await h.run(MemoryConsolidator.use((memory) => memory.consolidateIfDue(KEY)).pipe(Effect.flip))
    assertEquals(error.reason, "NoToolCall")
    assertEquals(await read(`${h.workspace}/memory/HISTORY.md`), "")
    assertEquals(await read(`${h.workspace}/memory/MEMORY.md`), "# Memory\n- old fact\n")
    assertEquals(await offsetOf(h), 0)
    h.llm.setHandler((request) =>
      isConsolidation(request) ? saveMemory("[2025-03-01 09:00] Retried.", "# Memory\n- old fact\n") : { text: "Ok." }
    )
    await h.ask("again")
    await eventually(async () => (await offsetOf(h)) > 0, "the retry on the next turn")
    assertEquals(await read(`${h.workspace}/memory/HISTORY.md`), "[2025-03-01 09:00] Retried.\n\n")
    assertEquals(await read(`${h.workspace}/memory/MEMORY.md`), "# Memory\n- old fact\n", "unchanged memory is kept")
  }),
)

Deno.test(
  "MemoryConsolidator runs one consolidation at a time per session; archive waits for the running one",
  withHarness(async (h) => {
    await seed(h, 8)
    const held = h.gate()
    h.llm.setHandler(async (request) => {
      await held.wait
      return saveMemory(`Part ${consolidations(h).indexOf(request) + 1}.`, "# Memory")
    })
    const [first, second] = await h.run(
      MemoryConsolidator.use((memory) => Effect.all([memory.schedule(KEY), memory.schedule(KEY)])),
    )
    assert(first === second, "a second schedule joins the running consolidation")
    const archived = h.run(MemoryConsolidator.use((memory) => memory.archive(KEY)))
    await eventually(() => consolidations(h).length === 1, "the first request")
    await new Promise((resolve) => setTimeout(resolve, 150))
    assertEquals(consolidations(h).length, 1, "nothing else runs while the first is in flight")
    held.open()
    await h.run(Fiber.join(first!))
    const outcome = await archived
    assertEquals(outcome, { consolidated: 4, offset: 8, memoryChanged: false })
    const archiveTranscript = transcriptOf(consolidations(h)[1]!)
    assert(archiveTranscript.includes("m4") && !archiveTranscript.includes("m3"), "archive takes what was left")
    const history = await read(`${h.workspace}/memory/HISTORY.md`)
    assertEquals(history, "[2025-03-01 09:00] Part 1.\n\n[2025-03-01 09:04] Part 2.\n\n")
  }),
)

Deno.test(
  "/new archives the whole session to memory, then starts a fresh one",
  withHarness(async (h) => {
    h.llm.setHandler((request) =>
      isConsolidation(request)
        ? saveMemory("Ada introduced herself.", "# Memory\n- The user's name is Ada.")
        : { text: defaultAnswer(request.body) }
    )
    assertEquals((await h.ask("My name is Ada")).content, "Nice to meet you, Ada.")
    const fresh = await h.ask("/new")
    assertEquals([fresh.kind, fresh.content], ["reply", "New session started."])
    assertStringIncludes(await read(`${h.workspace}/memory/HISTORY.md`), "Ada introduced herself.")
    assertEquals(await read(`${h.workspace}/memory/MEMORY.md`), "# Memory\n- The user's name is Ada.\n")
    assertStringIncludes(transcriptOf(consolidations(h)[0]!), "USER: My name is Ada")
    assertEquals(await offsetOf(h), 2)
    assertEquals((await h.ask("What is my name?")).content, "I don't know your name.")
    assertEquals(await countOf(h), 4, "the archived messages stay readable")
  }),
)

Deno.test(
  "/new tells the user when archiving fails and keeps the session as it was",
  withHarness(async (h) => {
    h.llm.setHandler((request) =>
      isConsolidation(request) ? { text: "No tool for you." } : { text: defaultAnswer(request.body) }
    )
    await h.ask("My name is Ada")
    const failed = await h.ask("/new")
    assertEquals(failed.kind, "error")
    assertStringIncludes(failed.content, "Could not archive this conversation to memory")
    assertStringIncludes(failed.content, "Nothing was lost")
    assertEquals(await offsetOf(h), 0)
    assertEquals(await read(`${h.workspace}/memory/HISTORY.md`), "")
    assertEquals((await h.ask("What is my name?")).content, "Your name is Ada.")
  }),
)

Deno.test("MemoryConsolidator backs off after repeated failures instead of calling the model every turn", () => {
  assertEquals([1, 2, 3, 4, 7, 20].map(retryDelayMs), [0, 60_000, 120_000, 240_000, 1_800_000, 1_800_000])
})

Deno.test(
  "MemoryConsolidator stops retrying a failing consolidation on every turn after the second failure",
  withHarness(async (h) => {
    await seed(h, 6)
    h.llm.setHandler((request) => isConsolidation(request) ? { text: "No tool for you." } : { text: "Sure." })
    await h.ask("one")
    await eventually(() => consolidations(h).length === 1, "the first attempt")
    await h.ask("two")
    await eventually(() => consolidations(h).length === 2, "the retry after the next turn")
    await new Promise((resolve) => setTimeout(resolve, 100))
    await h.ask("three")
    await h.ask("four")
    await new Promise((resolve) => setTimeout(resolve, 200))
    assertEquals(consolidations(h).length, 2, "no attempt during the back-off")
    assertEquals(await offsetOf(h), 0)
  }),
)
