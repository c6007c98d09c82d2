/**
 * `claw cron add|list|remove|enable|disable|run`: manage the scheduled jobs in the SQLite store a running gateway
 * reads every few seconds, so changes take effect without restarting it. `cron run ID` asks a running gateway to run
 * the job now (and waits for its answer); with no gateway up it runs the job in this process and prints the answer.
 */
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import { AppConfig } from "../../config/AppConfig.ts"
import { type CronJob, jobInput } from "../../cron/CronJob.ts"
import { describeSchedule, formatInstant } from "../../cron/CronSchedule.ts"
import { CronStore } from "../../cron/CronStore.ts"
import { Environment } from "../../platform/Environment.ts"
import { Database } from "../../storage/Database.ts"
import { StateStore } from "../../storage/StateStore.ts"
import { CliFailure } from "../CliFailure.ts"
import { runCommand } from "../runCommand.ts"
import { runJobNow } from "./cronRun.ts"

const cronLayer = Layer.mergeAll(CronStore.layer, StateStore.layer).pipe(Layer.provideMerge(Database.layer))

/** Runs `body` against the store; a `CronError` is printed and exits non-zero. */
const withStore = <A, E extends { readonly _tag: string; readonly message: string }, R>(body: Effect.Effect<A, E, R>) =>
  runCommand(
    { defaultLevel: "Warn", layer: cronLayer },
    body.pipe(
      Effect.catchIf(
        (error): error is E => error._tag === "CronError",
        (error) =>
          Console.error(`Error: ${error.message}`).pipe(
            Effect.andThen(Effect.fail(new CliFailure({ message: error.message }))),
          ),
      ),
    ),
  )

const displayZone = Effect.gen(function* () {
  const app = yield* AppConfig
  const env = yield* Environment
  return app.config.agents.defaults.timezone ?? env.timeZone
})

const jobLines = (job: CronJob, tz: string) => [
  `${job.id}  ${job.name}  [${job.enabled ? "enabled" : "disabled"}]`,
  `    schedule: ${describeSchedule(job.schedule)}`,
  `    next run: ${job.enabled && job.nextRunAt !== undefined ? formatInstant(job.nextRunAt, tz) : "-"}`,
  `    delivers: ${
    job.deliver === undefined ? "no (answer kept here)" : `${job.deliver.channel}:${job.deliver.chatId}`
  }`,
  `    message:  ${job.message}`,
  ...(job.lastRunAt === undefined
    ? []
    : [`    last run: ${formatInstant(job.lastRunAt, tz)} ${job.lastStatus ?? ""}: ${job.lastOutput ?? ""}`]),
]

export interface AddInput {
  readonly name: string
  readonly message: string
  readonly cron: Option.Option<string>
  readonly tz: Option.Option<string>
  readonly every: Option.Option<number>
  readonly at: Option.Option<string>
  readonly deliver: boolean
  readonly channel: Option.Option<string>
  readonly to: Option.Option<string>
  readonly runMissed: Option.Option<boolean>
}

export const add = (flags: AddInput) =>
  withStore(Effect.gen(function* () {
    const store = yield* CronStore
    const tz = yield* displayZone
    const channel = Option.getOrUndefined(flags.channel)
    const to = Option.getOrUndefined(flags.to)
    if (flags.deliver && (channel === undefined || to === undefined)) {
      yield* Console.error("Error: --deliver needs --channel and --to")
      return yield* new CliFailure({ message: "missing delivery target" })
    }
    const input = jobInput(
      {
        name: flags.name,
        message: flags.message,
        cronExpr: Option.getOrUndefined(flags.cron),
        tz: Option.getOrUndefined(flags.tz),
        everySeconds: Option.getOrUndefined(flags.every),
        at: Option.getOrUndefined(flags.at),
        deliver: flags.deliver ? { channel: channel!, chatId: to! } : undefined,
        runMissed: Option.getOrUndefined(flags.runMissed),
      },
      yield* Clock.currentTimeMillis,
      tz,
    )
    if (Result.isFailure(input)) return yield* input.failure
    const job = yield* store.add(input.success)
    yield* Console.log(`Added cron job ${job.id}.\n${jobLines(job, tz).join("\n")}`)
  }))

export const list = () =>
  withStore(Effect.gen(function* () {
    const jobs = yield* CronStore.use((store) => store.list)
    const tz = yield* displayZone
    yield* Console.log(jobs.length === 0 ? "No cron jobs." : jobs.flatMap((job) => jobLines(job, tz)).join("\n"))
  }))

export const remove = (id: string) =>
  withStore(
    CronStore.use((store) => store.remove(id)).pipe(Effect.andThen(Console.log(`Removed cron job ${id}.`))),
  )

export const toggle = (name: "enable" | "disable", id: string) =>
  withStore(Effect.gen(function* () {
    const job = yield* CronStore.use((store) => store.setEnabled(id, name === "enable"))
    const tz = yield* displayZone
    yield* Console.log(
      `${name === "enable" ? "Enabled" : "Disabled"} cron job ${id}.\n${jobLines(job, tz).join("\n")}`,
    )
  }))

export const runNow = (id: string) => withStore(runJobNow(id))
