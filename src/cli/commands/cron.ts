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
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
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

const idArgument = Argument.String("id").pipe(Argument.withDescription("The job's id (see claw cron list)"))

const addCommand = Command.make("add", {
  name: Flag.String("name").pipe(Flag.withDescription("A name for the job")),
  message: Flag.String("message").pipe(Flag.withAlias("m"), Flag.withDescription("What the agent is asked each run")),
  cron: Flag.String("cron").pipe(Flag.withDescription('Cron expression, e.g. "0 9 * * 1-5"'), Flag.optional),
  tz: Flag.String("tz").pipe(Flag.withDescription("IANA time zone of --cron (default: the configured)"), Flag.optional),
  every: Flag.Int("every").pipe(
    Flag.withMetavar("SECONDS"),
    Flag.withDescription("Run every N seconds"),
    Flag.optional,
  ),
  at: Flag.String("at").pipe(Flag.withMetavar("ISO"), Flag.withDescription("Run once at this time"), Flag.optional),
  deliver: Flag.Boolean("deliver").pipe(
    Flag.withDescription("Send the answer to --channel/--to"),
    Flag.withDefault(false),
  ),
  channel: Flag.String("channel").pipe(Flag.withDescription("Channel to deliver to"), Flag.optional),
  to: Flag.String("to").pipe(Flag.withDescription("Chat id to deliver to"), Flag.optional),
  runMissed: Flag.Boolean("run-missed").pipe(
    Flag.withDescription("Run once on gateway start if a run was missed (default: gateway.cron.runMissedOnStart)"),
    Flag.optional,
  ),
}, (flags) =>
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
  }))).pipe(
    Command.withDescription("Add a job: --name, --message and one of --cron [--tz], --every or --at"),
    Command.withExamples([
      {
        command: 'claw cron add --name standup --message "Plan my day" --cron "0 9 * * 1-5" --tz Europe/Berlin',
        description: "Weekdays at 9",
      },
      {
        command: 'claw cron add --name ping --message "Ping" --every 3600 --deliver --channel telegram --to 123',
        description: "Hourly, to a chat",
      },
    ]),
  )

const listCommand = Command.make("list", {}, () =>
  withStore(Effect.gen(function* () {
    const jobs = yield* CronStore.use((store) => store.list)
    const tz = yield* displayZone
    yield* Console.log(jobs.length === 0 ? "No cron jobs." : jobs.flatMap((job) => jobLines(job, tz)).join("\n"))
  }))).pipe(Command.withDescription("List the jobs with their schedules, next and last runs"))

const removeCommand = Command.make("remove", { id: idArgument }, ({ id }) =>
  withStore(
    CronStore.use((store) => store.remove(id)).pipe(Effect.andThen(Console.log(`Removed cron job ${id}.`))),
  )).pipe(Command.withDescription("Remove a job"))

const toggle = (name: "enable" | "disable") =>
  Command.make(name, { id: idArgument }, ({ id }) =>
    withStore(Effect.gen(function* () {
      const job = yield* CronStore.use((store) => store.setEnabled(id, name === "enable"))
      const tz = yield* displayZone
      yield* Console.log(
        `${name === "enable" ? "Enabled" : "Disabled"} cron job ${id}.\n${jobLines(job, tz).join("\n")}`,
      )
    }))).pipe(Command.withDescription(`${name === "enable" ? "Enable" : "Disable"} a job`))

const runNowCommand = Command.make("run", { id: idArgument }, ({ id }) => withStore(runJobNow(id))).pipe(
  Command.withDescription("Run a job now: through the running gateway, or here when none is running"),
)

export const cronCommand = Command.make("cron").pipe(
  Command.withDescription("Manage scheduled jobs"),
  Command.withSubcommands([addCommand, listCommand, removeCommand, toggle("enable"), toggle("disable"), runNowCommand]),
)
