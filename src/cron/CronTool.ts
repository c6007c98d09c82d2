/**
 * The `cron` tool (nanobot's parameters): `add` a job (`message` plus one of `every_seconds`, `cron_expr` with an
 * optional `tz`, or `at`), `list` the jobs, `remove` one by `job_id`. A job added from a chat delivers its answers to
 * that chat; one added from the terminal (`claw agent`) or from a cron turn has no chat to reach, so its answers are
 * stored with the job (`claw cron list`) and logged by the gateway. `layer` registers the tool in the registry.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { makeTool, ToolError } from "../agent/tools/Tool.ts"
import type { ToolContext } from "../agent/tools/Tool.ts"
import { ToolRegistry } from "../agent/tools/ToolRegistry.ts"
import { AppConfig } from "../config/AppConfig.ts"
import { Environment } from "../platform/Environment.ts"
import { type CronJob, jobInput } from "./CronJob.ts"
import { describeSchedule, formatInstant } from "./CronSchedule.ts"
import { CronStore } from "./CronStore.ts"

/** Channels that cannot receive a scheduled answer. */
const UNREACHABLE_CHANNELS = new Set(["cli", "cron", "heartbeat"])

const CronParameters = Schema.Struct({
  action: Schema.Literals(["add", "list", "remove"]).annotate({ description: "What to do" }),
  message: Schema.optionalKey(
    Schema.String.annotate({ description: "add: the instruction to run at each time (written for yourself)" }),
  ),
  every_seconds: Schema.optionalKey(Schema.Int.annotate({ description: "add: run every N seconds" })),
  cron_expr: Schema.optionalKey(
    Schema.String.annotate({ description: 'add: cron expression, e.g. "0 9 * * 1-5" (minute hour day month weekday)' }),
  ),
  tz: Schema.optionalKey(
    Schema.String.annotate({ description: "add: IANA time zone of cron_expr, e.g. Europe/Berlin" }),
  ),
  at: Schema.optionalKey(
    Schema.String.annotate({ description: "add: run once at this ISO time, e.g. 2030-01-31T09:00" }),
  ),
  job_id: Schema.optionalKey(Schema.String.annotate({ description: "remove: the job's id" })),
})

export const describeJob = (job: CronJob, tz: string) =>
  [
    `${job.id}: ${job.name}`,
    describeSchedule(job.schedule),
    job.enabled && job.nextRunAt !== undefined ? `next ${formatInstant(job.nextRunAt, tz)}` : "disabled",
    job.deliver === undefined ? "not delivered" : `delivers to ${job.deliver.channel}:${job.deliver.chatId}`,
  ].join(" | ")

const targetOf = (context: ToolContext) =>
  UNREACHABLE_CHANNELS.has(context.channel) ? undefined : {
    channel: context.channel,
    chatId: context.chatId,
    ...(context.accountId !== undefined ? { accountId: context.accountId } : {}),
  }

export const cronTool = Effect.gen(function* () {
  const store = yield* CronStore
  const { config } = yield* AppConfig
  const env = yield* Environment
  const defaultTz = config.agents.defaults.timezone ?? env.timeZone
  const toToolError = (error: { readonly message: string }) => new ToolError({ message: error.message })

  return makeTool({
    name: "cron",
    description: "Schedule messages to yourself: add a job (message plus every_seconds, cron_expr [+ tz], or at), " +
      "list jobs, or remove one by job_id. Each time a job runs you get its message as a new request, and your " +
      `answer is sent to the chat the job was created from. Times without an offset are in ${defaultTz}.`,
    parameters: CronParameters,
    execute: Effect.fn("cron")(function* (args, context) {
      if (args.action === "list") {
        const jobs = yield* store.list.pipe(Effect.mapError(toToolError))
        return jobs.length === 0 ? "No cron jobs." : jobs.map((job) => describeJob(job, defaultTz)).join("\n")
      }
      if (args.action === "remove") {
        if (args.job_id === undefined) return yield* new ToolError({ message: "job_id is required to remove a job" })
        yield* store.remove(args.job_id).pipe(Effect.mapError(toToolError))
        return `Removed cron job ${args.job_id}`
      }
      const deliver = targetOf(context)
      const input = jobInput(
        {
          message: args.message,
          cronExpr: args.cron_expr,
          tz: args.tz,
          everySeconds: args.every_seconds,
          at: args.at,
          deliver,
        },
        yield* Clock.currentTimeMillis,
        defaultTz,
      )
      if (Result.isFailure(input)) return yield* toToolError(input.failure)
      const job = yield* store.add(input.success).pipe(Effect.mapError(toToolError))
      return `Added cron job ${describeJob(job, defaultTz)}` +
        (deliver === undefined ? " (this chat cannot receive scheduled messages; answers are kept with the job)" : "")
    }),
  })
})

/** Registers the `cron` tool. */
export const CronToolLayer = Layer.effectDiscard(
  Effect.gen(function* () {
    const registry = yield* ToolRegistry
    yield* registry.register(yield* cronTool)
  }),
)
