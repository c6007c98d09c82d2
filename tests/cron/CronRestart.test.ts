/**
 * Cron jobs across restarts, on a real SQLite file: jobs and their state survive, a run missed while no gateway
 * was up runs exactly once on start when the job (or `gateway.cron.runMissedOnStart`) says so and is recorded as
 * missed otherwise, and an unreadable row is skipped instead of breaking the scheduler.
 */
import * as Effect from "effect/Effect"
import * as TestClock from "effect/testing/TestClock"
import { CronStore } from "../../src/cron/CronStore.ts"
import { Database } from "../../src/storage/Database.ts"
import { assertEquals } from "../support/assert.ts"
import { type AgentRuntime, makeAgentRuntime } from "../support/agent_runtime.ts"
import { startFakeLlm } from "../support/fake_llm.ts"
import { addJob, getJob, startScheduler, T0 } from "./_helpers.ts"

const HOUR = 3_600_000

const listJobs = (agent: AgentRuntime) => agent.run(CronStore.use((store) => store.list))

Deno.test("CronStore keeps jobs across a restart and skips a row it cannot read", async () => {
  const llm = await startFakeLlm()
  const first = await makeAgentRuntime({ llmUrl: llm.url, testClock: true })
  let second: AgentRuntime | undefined
  try {
    await first.run(TestClock.setTime(T0))
    const daily = await addJob(first, { name: "daily", message: "hi", cronExpr: "0 9 * * *", tz: "Asia/Tokyo" })
    await first.run(TestClock.adjust("1 minute"))
    const hourly = await addJob(first, { message: "ping", everySeconds: 3600, deliver: { channel: "ws", chatId: "a" } })
    await first.run(CronStore.use((store) => store.setEnabled(hourly.id, false)))
    await first.run(Database.use((db) =>
      db.use("corrupt", (sql) =>
        sql.run(
          "INSERT INTO cron_jobs (id, name, spec, enabled, created_at, updated_at) VALUES ('bad', 'x', '{', 1, 0, 0)",
        ))
    ))
    const before = await listJobs(first)
    await first.dispose({ keepHome: true })

    second = await makeAgentRuntime({ llmUrl: llm.url, home: first.home, testClock: true })
    const after = await listJobs(second)
    assertEquals(after, before)
    assertEquals(after.map((job) => [job.id, job.name, job.enabled]), [[daily.id, "daily", true], [
      hourly.id,
      "ping",
      false,
    ]])
    assertEquals(after[1]!.deliver, { channel: "ws", chatId: "a" })
  } finally {
    await (second ?? first).dispose()
    await llm.close()
  }
})

Deno.test("CronScheduler runs a job missed while the gateway was down once on start, only when configured", async () => {
  const llm = await startFakeLlm()
  const first = await makeAgentRuntime({ llmUrl: llm.url, testClock: true })
  let second: AgentRuntime | undefined
  try {
    await first.run(TestClock.setTime(T0))
    const eager = await addJob(first, { message: "eager", everySeconds: 3600, runMissed: true })
    const lazy = await addJob(first, { message: "lazy", everySeconds: 3600 })
    const once = await addJob(first, { message: "once", at: "2026-03-01T01:00:00Z" })
    await first.dispose({ keepHome: true })

    second = await makeAgentRuntime({ llmUrl: llm.url, home: first.home, testClock: true })
    const restartAt = T0 + 5.5 * HOUR
    await second.run(TestClock.setTime(restartAt))
    const { ran } = await startScheduler(second)
    await ran(eager.id, restartAt)
    assertEquals(llm.requests.map((r) => r.body.messages?.at(-1)?.content), ["eager"])
    assertEquals((await getJob(second, eager.id)).nextRunAt, T0 + 6 * HOUR)
    const skipped = await getJob(second, lazy.id)
    assertEquals([skipped.lastStatus, skipped.lastRunAt, skipped.nextRunAt], ["missed", restartAt, T0 + 6 * HOUR])
    const expired = await getJob(second, once.id)
    assertEquals([expired.lastStatus, expired.enabled, expired.nextRunAt], ["missed", false, undefined])

    await second.run(TestClock.adjust("30 minutes"))
    await ran(eager.id, T0 + 6 * HOUR)
    await ran(lazy.id, T0 + 6 * HOUR)
    assertEquals(llm.requests.length, 3)
    assertEquals((await getJob(second, lazy.id)).lastStatus, "ok")
  } finally {
    await (second ?? first).dispose()
    await llm.close()
  }
})

Deno.test("CronScheduler follows gateway.cron.runMissedOnStart for jobs that do not say", async () => {
  const llm = await startFakeLlm()
  const config = { gateway: { cron: { runMissedOnStart: true } } }
  const first = await makeAgentRuntime({ llmUrl: llm.url, testClock: true, config })
  let second: AgentRuntime | undefined
  try {
    await first.run(TestClock.setTime(T0))
    const job = await addJob(first, { message: "catch up", cronExpr: "0 * * * *" })
    const stubborn = await addJob(first, { message: "never", cronExpr: "0 * * * *", runMissed: false })
    await first.dispose({ keepHome: true })
    second = await makeAgentRuntime({ llmUrl: llm.url, home: first.home, testClock: true, config })
    await second.run(TestClock.setTime(T0 + 3.25 * HOUR))
    const { ran } = await startScheduler(second)
    await ran(job.id, T0 + 3.25 * HOUR)
    assertEquals(llm.requests.map((r) => r.body.messages?.at(-1)?.content), ["catch up"])
    assertEquals((await getJob(second, stubborn.id)).lastStatus, "missed")
    await second.run(Effect.void)
  } finally {
    await (second ?? first).dispose()
    await llm.close()
  }
})
