/**
 * Helpers for the cron tests: jobs added through the real `CronStore` at the `TestClock`'s time, a scheduler
 * started in the agent runtime, and a wait for a run to be recorded.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/testing/TestClock"
import { jobInput, type NewCronJob } from "../../src/cron/CronJob.ts"
import { CronScheduler } from "../../src/cron/CronScheduler.ts"
import { CronStore } from "../../src/cron/CronStore.ts"
import { type AgentRuntime, makeAgentRuntime, waitUntil } from "../support/agent_runtime.ts"
import { type FakeLlm, startFakeLlm } from "../support/fake_llm.ts"

export const T0 = Date.parse("2026-03-01T00:00:00Z")

export const newJob = (input: Parameters<typeof jobInput>[0], now = T0): NewCronJob => {
  const result = jobInput(input, now, "UTC")
  if (result._tag === "Failure") throw new Error(result.failure.message)
  return result.success
}

export const addJob = (agent: AgentRuntime, input: Parameters<typeof jobInput>[0]) =>
  agent.run(Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    return yield* CronStore.use((store) => store.add(newJob(input, now)))
  }))

export const getJob = (agent: AgentRuntime, id: string) => agent.run(CronStore.use((store) => store.get(id)))

export const withAgent = (
  config: Record<string, unknown>,
  body: (agent: AgentRuntime, llm: FakeLlm) => Promise<void>,
) =>
async () => {
  const llm = await startFakeLlm()
  const agent = await makeAgentRuntime({ llmUrl: llm.url, config, testClock: true })
  try {
    await agent.run(TestClock.setTime(T0))
    await body(agent, llm)
  } finally {
    await agent.dispose()
    await llm.close()
  }
}

/** Starts the scheduler; `ran(id, at)` waits until the job's run at `at` is recorded and no job is running. */
export const startScheduler = async (agent: AgentRuntime) => {
  const scheduler = await agent.start(CronScheduler.make({ pollInterval: "1 hour" }))
  const ran = (id: string, at: number) =>
    waitUntil(
      `job ${id} ran at ${new Date(at).toISOString()}`,
      async () => (await getJob(agent, id)).lastRunAt === at && (await agent.run(scheduler.running)).length === 0,
    )
  return { ran }
}
