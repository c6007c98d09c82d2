/**
 * A cron job: a message the agent runs on a schedule, optionally delivered to a chat, plus what the scheduler
 * recorded about it. `jobInput` turns the user-facing spellings (the CLI flags, the `cron` tool's arguments) into a
 * validated `NewCronJob`, with the error a user can act on.
 */
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { CronSchedule, nextRunAfter, parseAt, parseCron } from "./CronSchedule.ts"

export class CronError extends Schema.TaggedError<CronError>()("CronError", {
  reason: Schema.Literals(["Invalid", "NotFound", "Storage"]),
  message: Schema.String,
}) {}

/** Where a job's answer goes. */
export const CronTarget = Schema.Struct({
  channel: Schema.String,
  chatId: Schema.String,
  accountId: Schema.optionalKey(Schema.String),
})
export type CronTarget = typeof CronTarget.Type

/** The part of a job its creator decides, stored as JSON. */
export const CronJobSpec = Schema.Struct({
  message: Schema.String,
  schedule: CronSchedule,
  deliver: Schema.optionalKey(CronTarget),
  /** Run once on start when a run was missed while the gateway was down (default: gateway.cron.runMissedOnStart). */
  runMissed: Schema.optionalKey(Schema.Boolean),
})
export type CronJobSpec = typeof CronJobSpec.Type

export type CronRunStatus = "ok" | "error" | "missed"

export interface CronJob extends CronJobSpec {
  readonly id: string
  readonly name: string
  readonly enabled: boolean
  /** Epoch ms of the next run; undefined when the job will not run again. */
  readonly nextRunAt: number | undefined
  readonly lastRunAt: number | undefined
  readonly lastStatus: CronRunStatus | undefined
  readonly lastOutput: string | undefined
  /** Set by `claw cron run` while a gateway is up: the gateway runs the job at its next look. */
  readonly runRequestedAt: number | undefined
  readonly createdAt: number
}

export interface NewCronJob extends CronJobSpec {
  readonly name: string
}

/** The spellings shared by the CLI and the `cron` tool. */
export interface CronJobInput {
  readonly name?: string | undefined
  readonly message?: string | undefined
  readonly cronExpr?: string | undefined
  readonly tz?: string | undefined
  readonly everySeconds?: number | undefined
  readonly at?: string | undefined
  readonly deliver?: CronTarget | undefined
  readonly runMissed?: boolean | undefined
}

const invalid = (message: string) => Result.fail(new CronError({ reason: "Invalid", message }))

/** Validates an input at `nowMs`; `defaultTz` applies to expressions and to `at` times without an offset. */
export const jobInput = (
  input: CronJobInput,
  nowMs: number,
  defaultTz: string,
): Result.Result<NewCronJob, CronError> => {
  const message = input.message?.trim() ?? ""
  if (message === "") return invalid("a message is required")
  const kinds = [input.cronExpr, input.everySeconds, input.at].filter((value) => value !== undefined)
  if (kinds.length !== 1) return invalid("give exactly one schedule: a cron expression, every N seconds, or at a time")
  if (input.tz !== undefined && input.cronExpr === undefined) {
    return invalid("a time zone only applies to a cron expression")
  }
  const tz = input.tz ?? defaultTz
  let schedule: CronSchedule
  if (input.cronExpr !== undefined) {
    const parsed = parseCron(input.cronExpr, tz)
    if (Result.isFailure(parsed)) return invalid(parsed.failure)
    schedule = { _tag: "cron", expr: input.cronExpr.trim(), tz }
  } else if (input.everySeconds !== undefined) {
    if (!Number.isInteger(input.everySeconds) || input.everySeconds < 1) {
      return invalid(`every must be a whole number of seconds of at least 1, got ${input.everySeconds}`)
    }
    schedule = { _tag: "every", seconds: input.everySeconds, anchorMs: nowMs }
  } else {
    const at = parseAt(input.at!, tz)
    if (Result.isFailure(at)) return invalid(at.failure)
    if (at.success <= nowMs) return invalid(`the time "${input.at}" is in the past`)
    schedule = { _tag: "at", atMs: at.success }
  }
  if (Option.isNone(nextRunAfter(schedule, nowMs))) return invalid("the schedule never runs")
  const name = input.name?.trim() || (message.length > 30 ? `${message.slice(0, 30)}…` : message)
  return Result.succeed({
    name,
    message,
    schedule,
    ...(input.deliver !== undefined ? { deliver: input.deliver } : {}),
    ...(input.runMissed !== undefined ? { runMissed: input.runMissed } : {}),
  })
}
