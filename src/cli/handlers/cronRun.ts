/**
 * `claw cron run ID`: when a gateway's scheduler holds a live lease, leave a run request in the store and wait for
 * the gateway to record the run (the answer is then also delivered by the gateway); when none is running — or it
 * does not pick the request up in time — run the job in this process with the full agent and print the answer.
 */
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { CronJob } from "../../cron/CronJob.ts"
import { CronStore } from "../../cron/CronStore.ts"
import { runCronJob } from "../../cron/runCronJob.ts"
import { liveLease } from "../../cron/SchedulerLease.ts"
import { CliFailure } from "../CliFailure.ts"
import { agentLayer } from "../layers.ts"

const POLL = Duration.millis(200)
const PICKUP_WAIT_MS = 15_000
const RESULT_WAIT_MS = 10 * 60_000

/** Polls the job until `done` holds, or gives up after `limitMs` with `None`. */
const waitFor = (id: string, limitMs: number, done: (job: CronJob) => boolean) =>
  Effect.gen(function* () {
    const store = yield* CronStore
    for (let waited = 0; waited < limitMs; waited += Duration.toMillis(POLL)) {
      const job = yield* store.get(id)
      if (done(job)) return Option.some(job)
      yield* Effect.sleep(POLL)
    }
    return Option.none<CronJob>()
  })

/** Runs the job through the gateway; `None` when the gateway did not take the request. */
const throughGateway = (job: CronJob, pid: number) =>
  Effect.gen(function* () {
    const store = yield* CronStore
    yield* store.requestRun(job.id)
    yield* Console.error(`Asked the running gateway (pid ${pid}) to run cron job ${job.id}...`)
    const picked = yield* waitFor(job.id, PICKUP_WAIT_MS, (current) => current.runRequestedAt === undefined)
    if (Option.isNone(picked) && (yield* store.claimRunRequest(job.id))) {
      yield* Console.error("The gateway did not pick the job up; running it here instead.")
      return Option.none<CronJob>()
    }
    const finished = yield* waitFor(job.id, RESULT_WAIT_MS, (current) => current.lastRunAt !== job.lastRunAt)
    if (Option.isNone(finished)) {
      yield* Console.error(`Cron job ${job.id} is still running in the gateway; see claw cron list later.`)
      return yield* new CliFailure({ message: "still running" })
    }
    return finished
  })

const report = (ok: boolean, content: string) =>
  ok
    ? Console.log(content)
    : Console.error(`Error: ${content}`).pipe(Effect.andThen(Effect.fail(new CliFailure({ message: content }))))

export const runJobNow = Effect.fn("runJobNow")(function* (id: string) {
  const store = yield* CronStore
  const job = yield* store.get(id)
  const lease = yield* liveLease
  if (Option.isSome(lease)) {
    const ran = yield* throughGateway(job, lease.value.pid)
    if (Option.isSome(ran)) return yield* report(ran.value.lastStatus === "ok", ran.value.lastOutput ?? "")
  }
  const outcome = yield* runCronJob(job).pipe(Effect.provide(agentLayer))
  return yield* report(outcome.ok, outcome.content)
})
