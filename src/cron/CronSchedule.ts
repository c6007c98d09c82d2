/**
 * When a cron job runs: once `at` an instant, `every` N seconds, or on a `cron` expression in an IANA time zone.
 * Expressions are Effect's own `effect/Cron` (5 fields, or 6 with seconds; `@daily`-style aliases are expanded
 * here), which resolves wall-clock times in the zone, including daylight-saving gaps (a time that does not exist
 * runs after the gap) and overlaps (a repeated time runs once, at its first occurrence).
 *
 * Everything here is pure: "now" is always passed in, so the scheduler's `Clock` (and `TestClock`) decides.
 */
import * as Cron from "effect/Cron"
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"

export const CronSchedule = Schema.Union([
  /** One run at `atMs` (epoch milliseconds). */
  Schema.TaggedStruct("at", { atMs: Schema.Finite }),
  /** Runs every `seconds`, counted from `anchorMs` (the creation time), so the cadence never drifts. */
  Schema.TaggedStruct("every", {
    seconds: Schema.Int.pipe(Schema.check(Schema.isGreaterThan(0))),
    anchorMs: Schema.Finite,
  }),
  Schema.TaggedStruct("cron", { expr: Schema.String, tz: Schema.String }),
])
export type CronSchedule = typeof CronSchedule.Type

const ALIASES: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
}

/** Parses an expression in a zone; the error says which of the two is wrong. */
export const parseCron = (expr: string, tz: string): Result.Result<Cron.Cron, string> => {
  if (Option.isNone(DateTime.zoneMakeNamed(tz))) return Result.fail(`unknown time zone "${tz}" (use an IANA name)`)
  const normalized = ALIASES[expr.trim().toLowerCase()] ?? expr
  return Result.mapError(Cron.parse(normalized, tz), (error) => `invalid cron expression "${expr}": ${error.message}`)
}

/** Reads an ISO time; without an offset it is a wall-clock time in `tz`. */
export const parseAt = (input: string, tz: string): Result.Result<number, string> => {
  const text = input.trim()
  const hasOffset = /(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(text) && /\d{2}:\d{2}/.test(text)
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?/.test(text)) {
    return Result.fail(`invalid time "${input}" (use ISO 8601, e.g. 2030-01-31T09:00 or 2030-01-31T09:00:00Z)`)
  }
  if (hasOffset) {
    const instant = DateTime.make(text.replace(" ", "T"))
    return Option.isSome(instant)
      ? Result.succeed(DateTime.toEpochMillis(instant.value))
      : Result.fail(`invalid time "${input}"`)
  }
  const zone = DateTime.zoneMakeNamed(tz)
  if (Option.isNone(zone)) return Result.fail(`unknown time zone "${tz}" (use an IANA name)`)
  const zoned = DateTime.makeZoned(text.replace(" ", "T"), { timeZone: zone.value, adjustForTimeZone: true })
  return Option.isSome(zoned)
    ? Result.succeed(DateTime.toEpochMillis(zoned.value))
    : Result.fail(`invalid time "${input}"`)
}

/**
 * The first run strictly after `afterMs`, or `None` when there is none (an `at` job whose time has passed, an
 * expression that no longer parses).
 */
export const nextRunAfter = (schedule: CronSchedule, afterMs: number): Option.Option<number> => {
  switch (schedule._tag) {
    case "at":
      return schedule.atMs > afterMs ? Option.some(schedule.atMs) : Option.none()
    case "every": {
      const period = schedule.seconds * 1000
      if (afterMs < schedule.anchorMs) return Option.some(schedule.anchorMs + period)
      const elapsed = Math.floor((afterMs - schedule.anchorMs) / period) + 1
      return Option.some(schedule.anchorMs + elapsed * period)
    }
    case "cron": {
      const parsed = parseCron(schedule.expr, schedule.tz)
      return Result.isSuccess(parsed) ? Option.some(Cron.next(parsed.success, afterMs).getTime()) : Option.none()
    }
  }
}

/** An instant as an ISO time in `tz` with its offset (`2030-01-31T09:00:00+01:00`). */
export const formatInstant = (ms: number, tz: string) => {
  const zone = DateTime.zoneMakeNamed(tz)
  const instant = DateTime.makeUnsafe(ms)
  return Option.isSome(zone)
    ? DateTime.formatIsoOffset(DateTime.setZone(instant, zone.value)).replace(".000", "")
    : DateTime.formatIso(instant)
}

export const describeSchedule = (schedule: CronSchedule) => {
  switch (schedule._tag) {
    case "at":
      return `at ${new Date(schedule.atMs).toISOString()}`
    case "every":
      return `every ${schedule.seconds}s`
    case "cron":
      return `cron "${schedule.expr}" (${schedule.tz})`
  }
}
