/**
 * Subagents through the assembled agent and the fake LLM: `spawn` returns at once, the subagent runs without the
 * `message`/`spawn` tools, its report comes back into the originating session and chat, the cap holds, and
 * `/stop` cancels it.
 */
import { SubagentManager } from "../../../src/agent/subagents/SubagentManager.ts"
import { SessionStore } from "../../../src/sessions/SessionStore.ts"
import { type AgentHarness, eventually, makeAgentHarness } from "../../support/agent_harness.ts"
import { assert, assertEquals, assertStringIncludes } from "../../support/assert.ts"
import type { FakeMessage, RecordedRequest } from "../../support/fake_llm.ts"

const toolNames = (request: RecordedRequest) =>
  ((request.body.tools ?? []) as ReadonlyArray<{ function: { name: string } }>).map((tool) => tool.function.name)

const lastUser = (request: RecordedRequest) =>
  String([...(request.body.messages ?? [])].reverse().find((m) => m.role === "user")?.content ?? "")

const lastMessage = (request: RecordedRequest): FakeMessage | undefined => request.body.messages?.at(-1)

const isSubagent = (request: RecordedRequest) => lastUser(request).includes("[Subagent task]")

const spawnCall = (label: string, id = "call_spawn") => ({
  name: "spawn",
  arguments: { task: `Task ${label}`, label },
  id,
})

const withHarness = (defaults: Record<string, unknown>, test: (h: AgentHarness) => Promise<void>) => async () => {
  const h = await makeAgentHarness({ defaults })
  try {
    await test(h)
  } finally {
    await h.dispose()
  }
}

Deno.test(
  "spawn starts a subagent without message/spawn whose report comes back into the chat as a new turn",
  withHarness({}, async (h) => {
    h.llm.setHandler((request) => {
      if (isSubagent(request)) {
        if (lastMessage(request)?.role !== "tool") {
          return { toolCalls: [{ name: "message", arguments: { content: "hi" } }] }
        }
        return { text: `The answer is 42. (${String(lastMessage(request)?.content).slice(0, 40)})` }
      }
      if (lastUser(request).startsWith('[Subagent "research" finished]')) return { text: "Research done: 42." }
      return lastMessage(request)?.role === "tool"
        ? { text: "I started a subagent." }
        : { toolCalls: [spawnCall("research")] }
    })
    const reply = await h.ask("Please research")
    assertEquals(reply.content, "I started a subagent.")
    const final = await eventually(
      () => h.outbound.find((m) => m.kind === "reply" && m.content === "Research done: 42."),
      "the report's turn to answer in the chat",
    )
    assertEquals([final.channel, final.chatId], ["test", "chat"])
    const subagentRequests = h.llm.requests.filter(isSubagent)
    assertEquals(subagentRequests.length, 2)
    const offered = toolNames(subagentRequests[0]!)
    assert(!offered.includes("message") && !offered.includes("spawn"), `subagent tools: ${offered.join(", ")}`)
    assert(offered.includes("read_file"))
    assert(toolNames(h.llm.requests[0]!).includes("spawn"), "the main agent is offered spawn")
    assertStringIncludes(
      String(lastMessage(subagentRequests[1]!)?.content),
      'the tool "message" is not available here',
    )
    assertEquals(h.outbound.filter((m) => m.kind === "push").length, 0, "a subagent cannot message the chat")
    const report = lastUser(h.llm.requests.find((r) => lastUser(r).startsWith(`[Subagent "`))!)
    assertEquals(report, '[Subagent "research" finished]\nThe answer is 42. (Error: the tool "message" is not availab)')
    const stored = await h.run(SessionStore.use((store) => store.messages("test:chat", { from: 0 })))
    const reportMessage = stored.find((m) => m.role === "user" && m.content?.startsWith(`[Subagent "`))
    assertEquals(reportMessage?.metadata?.senderId, "subagent")
    assert(!stored.some((m) => m.content?.includes("[Subagent task]")), "the subagent keeps no history")
  }),
)

Deno.test(
  "spawn refuses a subagent beyond agents.defaults.maxSubagents",
  withHarness({ maxSubagents: 1 }, async (h) => {
    const held = h.gate()
    h.llm.setHandler(async (request) => {
      if (isSubagent(request)) {
        await held.wait
        return { text: "Done." }
      }
      if (lastUser(request).startsWith(`[Subagent "`)) return { text: "Noted." }
      return lastMessage(request)?.role === "tool"
        ? { text: "Spawned." }
        : { toolCalls: [spawnCall("one", "call_1"), spawnCall("two", "call_2")] }
    })
    assertEquals((await h.ask("two tasks please")).content, "Spawned.")
    const second = h.llm.requests.filter((r) => !isSubagent(r))[1]!
    const results = (second.body.messages ?? []).filter((m) => m.role === "tool").map((m) => String(m.content))
    assertStringIncludes(results[0]!, 'Started subagent "one"')
    assertStringIncludes(results[1]!, "1 subagents are already running (the limit is 1)")
    assertEquals((await h.run(SubagentManager.use((m) => m.running))).map((info) => info.label), ["one"])
    held.open()
    await eventually(() => h.outbound.find((m) => m.content === "Noted."), "the report")
    await eventually(async () => (await h.run(SubagentManager.use((m) => m.running))).length === 0, "the slot to free")
    assertEquals(h.llm.requests.filter(isSubagent).length, 1)
  }),
)

Deno.test(
  "/stop cancels the session's subagents: the subagent goes no further and no report comes back",
  withHarness({}, async (h) => {
    const held = h.gate()
    h.llm.setHandler(async (request) => {
      if (isSubagent(request)) {
        await held.wait
        return lastMessage(request)?.role === "tool"
          ? { text: "Too late." }
          : { toolCalls: [{ name: "list_dir", arguments: { path: "." } }] }
      }
      return lastMessage(request)?.role === "tool" ? { text: "Working on it." } : { toolCalls: [spawnCall("slow")] }
    })
    assertEquals((await h.ask("start something slow")).content, "Working on it.")
    await eventually(() => h.llm.requests.find(isSubagent), "the subagent's model call")
    const other = await h.ask("/stop", "test:other-chat")
    assertEquals(other.content, "Nothing to stop.", "another session's /stop leaves it alone")
    const stopped = await h.ask("/stop")
    assertEquals(stopped.content, "Stopped 1 task.")
    assertEquals((await h.run(SubagentManager.use((m) => m.running))).length, 0)
    held.open()
    await new Promise((resolve) => setTimeout(resolve, 300))
    assertEquals(h.llm.requests.filter(isSubagent).length, 1, "the subagent did not go on after its answer")
    assert(!h.llm.requests.some((r) => lastUser(r).startsWith(`[Subagent "`)), "no report after /stop")
    assertEquals(h.outbound.filter((m) => m.content.includes("Too late")).length, 0)
  }),
)
