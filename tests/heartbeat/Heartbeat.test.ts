/**
 * The heartbeat with the real agent and the fake LLM on a `TestClock` (30-minute beats in milliseconds): no tasks
 * means no model call at all; with tasks one turn runs and its answer goes to the most recent user chat, which is
 * remembered across restarts; `enabled: false` stops it.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as TestClock from "effect/testing/TestClock"
import { TurnDispatcher } from "../../src/agent/TurnDispatcher.ts"
import { MessageBus } from "../../src/bus/MessageBus.ts"
import type { OutboundMessage } from "../../src/bus/Messages.ts"
import { Heartbeat } from "../../src/heartbeat/Heartbeat.ts"
import { LastChat } from "../../src/heartbeat/LastChat.ts"
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts"
import { type AgentRuntime, makeAgentRuntime, waitUntil } from "../support/agent_runtime.ts"
import { startFakeLlm } from "../support/fake_llm.ts"

const T0 = Date.parse("2026-03-01T12:00:00Z")
const template = await Deno.readTextFile(new URL("../../src/agent/templates/HEARTBEAT.md", import.meta.url))

const startHeartbeat = (agent: AgentRuntime) =>
  agent.start(Effect.gen(function* () {
    const context = yield* Layer.build(Heartbeat.layer.pipe(Layer.provideMerge(LastChat.layer)))
    const bus = yield* MessageBus
    const subscription = yield* bus.subscribeOutbound
    const seen: Array<OutboundMessage> = []
    yield* Effect.forkScoped(Effect.forever(PubSub.take(subscription).pipe(Effect.map((m) => seen.push(m)))))
    const heartbeat = context.mapUnsafe.get(Heartbeat.key) as Heartbeat["Service"]
    return { seen, beats: () => agent.run(heartbeat.beats) }
  }))

const userSays = (agent: AgentRuntime, chatId: string, content: string) =>
  agent.run(
    TurnDispatcher.use((dispatcher) =>
      dispatcher.dispatch({
        id: `user-${crypto.randomUUID()}`,
        channel: "websocket",
        chatId,
        senderId: chatId,
        content,
        timestamp: T0,
      })
    ),
  )

Deno.test("Heartbeat makes no model call without tasks, and with tasks delivers one turn's answer to the last chat", async () => {
  const llm = await startFakeLlm()
  const agent = await makeAgentRuntime({ llmUrl: llm.url, testClock: true })
  const heartbeatFile = `${agent.home}/workspace/HEARTBEAT.md`
  let restarted: AgentRuntime | undefined
  try {
    await Deno.writeTextFile(heartbeatFile, template)
    await agent.run(TestClock.setTime(T0))
    const { seen, beats } = await startHeartbeat(agent)
    await userSays(agent, "alice", "What is 2+2?")
    await waitUntil("alice's answer", () => seen.some((m) => m.kind === "reply" && m.chatId === "alice"))
    assertEquals(llm.requests.length, 1)
    for (let beat = 1; beat <= 3; beat++) {
      await agent.run(TestClock.adjust("30 minutes"))
      await waitUntil(`beat ${beat}`, async () => (await beats()) === beat)
    }
    assertEquals(llm.requests.length, 1, "no tasks: the heartbeat never called the model")

    await Deno.writeTextFile(heartbeatFile, `${template}\n- Check the weather in Berlin\n- Water the plants\n`)
    llm.script({ text: "Sunny; plants watered." })
    await agent.run(TestClock.adjust("30 minutes"))
    const isAnswer = (m: OutboundMessage) => m.kind === "reply" && m.replyTo?.startsWith("heartbeat-") === true
    await waitUntil("the heartbeat answer", () => seen.some(isAnswer))
    const answer = seen.find(isAnswer)!
    assertEquals([answer.kind, answer.channel, answer.chatId, answer.content], [
      "reply",
      "websocket",
      "alice",
      "Sunny; plants watered.",
    ])
    assertEquals(llm.requests.length, 2)
    const prompt = String(llm.requests[1]!.body.messages?.at(-1)?.content)
    assertStringIncludes(prompt, "- Check the weather in Berlin\n- Water the plants")
    assertEquals(await beats(), 4)
    await agent.dispose({ keepHome: true })

    restarted = await makeAgentRuntime({ llmUrl: llm.url, home: agent.home, testClock: true })
    const remembered = await restarted.run(
      Layer.build(LastChat.layer).pipe(
        Effect.flatMap((context) => (context.mapUnsafe.get(LastChat.key) as LastChat["Service"]).get),
      ),
    )
    assert(Option.isSome(remembered), "the last chat survives a restart")
    assertEquals([remembered.value.channel, remembered.value.chatId], ["websocket", "alice"])
  } finally {
    await (restarted ?? agent).dispose()
    await llm.close()
  }
})

Deno.test("Heartbeat with tasks but no chat yet runs the turn without delivering; disabled, it never beats", async () => {
  const llm = await startFakeLlm()
  const agent = await makeAgentRuntime({ llmUrl: llm.url, testClock: true })
  const off = await makeAgentRuntime({
    llmUrl: llm.url,
    testClock: true,
    config: { gateway: { heartbeat: { enabled: false, intervalS: 60 } } },
  })
  try {
    for (const runtime of [agent, off]) {
      await Deno.writeTextFile(`${runtime.home}/workspace/HEARTBEAT.md`, "## Tasks\n- Tidy the notes folder\n")
      await runtime.run(TestClock.setTime(T0))
    }
    const { seen } = await startHeartbeat(agent)
    await agent.run(TestClock.adjust("30 minutes"))
    await waitUntil("the undelivered answer", () => seen.some((m) => m.kind === "reply"))
    assertEquals(seen.find((m) => m.kind === "reply")?.channel, "heartbeat")
    assertEquals(llm.requests.length, 1)

    const disabled = await startHeartbeat(off)
    await off.run(TestClock.adjust("3 hours"))
    await new Promise((resolve) => setTimeout(resolve, 100))
    assertEquals(await disabled.beats(), 0)
    assertEquals(llm.requests.length, 1, "a disabled heartbeat never calls the model")
  } finally {
    await agent.dispose()
    await off.dispose()
    await llm.close()
  }
})
