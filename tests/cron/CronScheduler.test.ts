/**
 * The cron scheduler with the real agent and the fake LLM, on a `TestClock`: a daily job runs once a day at its
 * wall-clock time in its zone (days pass in milliseconds), `every` and `at` jobs, a failing job never stops the
 * others.
 */
import * as Effect from "effect/Effect"
import * as PubSub from "effect/PubSub"
import * as TestClock from "effect/testing/TestClock"
import { MessageBus } from "../../src/bus/MessageBus.ts"
import type { OutboundMessage } from "../../src/bus/Messages.ts"
import { assert, assertEquals } from "../support/assert.ts"
import { type AgentRuntime, waitUntil } from "../support/agent_runtime.ts"
import { addJob, getJob, startScheduler, T0, withAgent } from "./_helpers.ts"

/** Collects every outbound message from now on. */
const collectOutbound = (agent: AgentRuntime) =>
  agent.start(Effect.gen(function* () {
    const bus = yield* MessageBus
    const subscription = yield* bus.subscribeOutbound
    const seen: Array<OutboundMessage> = []
    yield* Effect.forkScoped(Effect.forever(PubSub.take(subscription).pipe(Effect.map((m) => seen.push(m)))))
    return seen
  }))

Deno.test(
  "CronScheduler runs a daily job at 09:00 Europe/Berlin once per day, days passing in milliseconds",
  withAgent({}, async (agent, llm) => {
    const job = await addJob(agent, { message: "Daily summary please", cronExpr: "0 9 * * *", tz: "Europe/Berlin" })
    assertEquals(job.nextRunAt, Date.parse("2026-03-01T08:00:00Z"))
    const { ran } = await startScheduler(agent)
    const started = Date.now()
    for (const day of [1, 2, 3]) {
      await agent.run(TestClock.adjust(day === 1 ? "8 hours" : "24 hours"))
      const ranAt = Date.parse(`2026-03-0${day}T08:00:00Z`)
      await ran(job.id, ranAt)
      const stored = await getJob(agent, job.id)
      assertEquals(llm.requests.length, day)
      assertEquals(stored.nextRunAt, Date.parse(`2026-03-0${day + 1}T08:00:00Z`))
      assertEquals(stored.lastStatus, "ok")
    }
    assertEquals(llm.requests.length, 3)
    assertEquals(llm.requests[0]!.body.messages?.at(-1)?.content, "Daily summary please")
    assert(Date.now() - started < 5_000, "three virtual days take well under five real seconds")
  }),
)

Deno.test(
  "CronScheduler delivers an every-N-seconds job's answer to its chat and disables an at job after its run",
  withAgent({}, async (agent, llm) => {
    const seen = await collectOutbound(agent)
    const every = await addJob(agent, {
      message: "What is 2+2?",
      everySeconds: 600,
      deliver: { channel: "websocket", chatId: "alice" },
    })
    const once = await addJob(agent, { message: "once", at: "2026-03-01T00:15:00Z" })
    const { ran } = await startScheduler(agent)
    await agent.run(TestClock.adjust("10 minutes"))
    await waitUntil("the every job's reply", () => seen.some((m) => m.kind === "reply" && m.chatId === "alice"))
    await ran(every.id, T0 + 10 * 60_000)
    const reply = seen.find((m) => m.kind === "reply" && m.chatId === "alice")!
    assertEquals([reply.channel, reply.content], ["websocket", "4"])
    await agent.run(TestClock.adjust("5 minutes"))
    await ran(once.id, T0 + 15 * 60_000)
    const done = await getJob(agent, once.id)
    assertEquals([done.enabled, done.nextRunAt, done.lastStatus], [false, undefined, "ok"])
    await agent.run(TestClock.adjust("5 minutes"))
    await ran(every.id, T0 + 20 * 60_000)
    assertEquals((await getJob(agent, every.id)).nextRunAt, T0 + 30 * 60_000)
    for (let minutes = 30; minutes <= 80; minutes += 10) {
      await agent.run(TestClock.adjust("10 minutes"))
      await ran(every.id, T0 + minutes * 60_000)
    }
    assertEquals(llm.requests.length, 9)
    assertEquals(seen.filter((m) => m.kind === "reply" && m.chatId === "alice").length, 8)
    assertEquals(llm.requests.filter((r) => r.body.messages?.at(-1)?.content === "once").length, 1)
  }),
)

Deno.test(
  "CronScheduler keeps running other jobs when one job's turn fails",
  withAgent({}, async (agent, llm) => {
    llm.setHandler((request) =>
      request.body.messages?.at(-1)?.content === "broken" ? { status: 400, body: { error: { message: "bad" } } } : {
        text: "fine",
      }
    )
    const broken = await addJob(agent, { message: "broken", everySeconds: 60 })
    const healthy = await addJob(agent, { message: "healthy", everySeconds: 60 })
    const { ran } = await startScheduler(agent)
    for (let minute = 1; minute <= 3; minute++) {
      await agent.run(TestClock.adjust("1 minute"))
      await ran(broken.id, T0 + minute * 60_000)
      await ran(healthy.id, T0 + minute * 60_000)
    }
    assertEquals(llm.requests.length, 6)
    assertEquals((await getJob(agent, broken.id)).lastStatus, "error")
    assertEquals((await getJob(agent, healthy.id)).lastStatus, "ok")
    assertEquals((await getJob(agent, healthy.id)).lastOutput, "fine")
  }),
)
