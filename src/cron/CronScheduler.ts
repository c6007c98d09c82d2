/**
 * Runs cron jobs while the gateway is up. One scheduler fiber reads the jobs from the `CronStore`, starts each due
 * job as its own fiber (a `FiberMap` keyed by job id: a job still running is not started twice, a failing or
 * crashing job only logs), and sleeps until the next run, the next poll (so `claw cron` changes made by other
 * processes take effect without a restart) or a change made in this process, whichever comes first. All waiting
 * is `Effect.sleep`, so `TestClock` drives it.
 *
 * A job's next run is written before it starts: a run is never repeated, even after a crash. On start, jobs that
 * came due while no gateway was running (more than a minute ago) run once when their `runMissed` (default
 * `gateway.cron.runMissedOnStart`) says so; otherwise the missed run is recorded as "missed" and the job waits for
 * its next time. `at` jobs are
 * disabled once their time has come. `claw cron run` while a gateway is up leaves a run request that the next look
 * picks up.
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberMap from "effect/FiberMap"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import { AppConfig } from "../config/AppConfig.ts"
import { Environment } from "../platform/Environment.ts"
import type { CronJob } from "./CronJob.ts"
import { formatInstant, nextRunAfter } from "./CronSchedule.ts"
import { CronStore } from "./CronStore.ts"
import { runCronJob } from "./runCronJob.ts"
import { clearLease, LEASE_REFRESH_MS, writeLease } from "./SchedulerLease.ts"

/** How often the scheduler looks at the store for changes made by other processes. */
export const cronPollInterval = Duration.seconds(2)

/** A run due at most this long before the scheduler starts is not "missed": it simply runs now. */
export const MISSED_GRACE_MS = 60_000

export interface CronSchedulerOptions {
  readonly pollInterval?: Duration.Input
}

export class CronScheduler extends Context.Service<CronScheduler, {
  /** Ids of the jobs running now. */
  readonly running: Effect.Effect<ReadonlyArray<string>>
}>()("claw/cron/CronScheduler") {
  static readonly make = (options: CronSchedulerOptions = {}) =>
    Effect.gen(function* () {
      const store = yield* CronStore
      const { config } = yield* AppConfig
      const { pid } = yield* Environment
      const runs = yield* FiberMap.make<string>()
      const changes = yield* store.changes
      const poll = Duration.toMillis(Duration.fromInputUnsafe(options.pollInterval ?? cronPollInterval))
      let leaseWrittenAt = Number.NEGATIVE_INFINITY

      const start = Effect.fnUntraced(function* (job: CronJob) {
        if (yield* FiberMap.has(runs, job.id)) {
          return yield* Effect.logWarning(`Cron job ${job.id} is still running; skipping this run`)
        }
        yield* FiberMap.run(
          runs,
          job.id,
          runCronJob(job).pipe(
            Effect.catchCause((cause) =>
              Cause.hasInterruptsOnly(cause) ? Effect.void : Effect.logError(`Cron job ${job.id} crashed`, cause)
            ),
          ),
        )
      })

      /** Moves the job to its first run after `now` (disabling it when there is none) and returns that time. */
      const advance = Effect.fnUntraced(function* (job: CronJob, now: number) {
        const next = Option.getOrUndefined(nextRunAfter(job.schedule, now))
        yield* store.reschedule(job.id, next, next !== undefined)
        return next
      })

      const catchUp = Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        for (const job of yield* store.list) {
          if (!job.enabled || job.nextRunAt === undefined || job.nextRunAt > now - MISSED_GRACE_MS) continue
          yield* advance(job, now)
          if (job.runMissed ?? config.gateway.cron.runMissedOnStart) {
            yield* Effect.logInfo(`Cron job ${job.id} missed its run while the gateway was down; running it now`)
            yield* start(job)
            continue
          }
          const due = formatInstant(job.nextRunAt, job.schedule._tag === "cron" ? job.schedule.tz : "UTC")
          yield* Effect.logInfo(`Cron job ${job.id} missed its run due ${due}; waiting for the next one`)
          yield* store.recordResult(job.id, {
            ranAt: now,
            status: "missed",
            output: `Skipped the run due ${due}: the gateway was not running (runMissed is off).`,
          })
        }
      })

      /** Starts what is due and returns how long to sleep. */
      const look = Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        let wakeAt = now + poll
        for (const job of yield* store.list) {
          let next = job.enabled ? job.nextRunAt : undefined
          if (job.runRequestedAt !== undefined && (yield* store.claimRunRequest(job.id))) {
            yield* Effect.logInfo(`Cron job ${job.id} run requested`)
            yield* start(job)
          } else if (next !== undefined && next <= now) {
            next = yield* advance(job, now)
            yield* start(job)
          }
          if (next !== undefined) wakeAt = Math.min(wakeAt, next)
        }
        if (now - leaseWrittenAt >= LEASE_REFRESH_MS) {
          yield* writeLease(pid)
          leaseWrittenAt = now
        }
        return Math.max(0, wakeAt - now)
      }).pipe(
        Effect.catch((error) =>
          Effect.logWarning(`Cron scheduler could not read the jobs: ${error.message}`).pipe(Effect.as(poll))
        ),
      )

      const loop = Effect.gen(function* () {
        while (true) {
          const delay = yield* look
          yield* Effect.raceFirst(Effect.sleep(Duration.millis(delay)), PubSub.take(changes))
        }
      })

      yield* catchUp.pipe(
        Effect.catch((error) => Effect.logWarning(`Cron scheduler could not catch up: ${error.message}`)),
        Effect.annotateLogs({ component: "cron" }),
      )
      const jobs = yield* store.list.pipe(Effect.orElseSucceed(() => []))
      yield* Effect.logInfo(
        `Cron scheduler running: ${jobs.filter((job) => job.enabled).length} of ${jobs.length} jobs enabled`,
      )
      yield* Effect.addFinalizer(() => clearLease)
      yield* Effect.forkScoped(loop.pipe(Effect.annotateLogs({ component: "cron" })))
      return CronScheduler.of({ running: Effect.sync(() => [...runs].map(([id]) => id)) })
    })

  /** Runs the scheduler for as long as the layer lives. */
  static readonly layer = Layer.effect(CronScheduler, CronScheduler.make())
}
