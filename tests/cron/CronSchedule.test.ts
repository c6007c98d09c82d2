/**
 * Cron schedules: expressions and their next runs in IANA time zones (including daylight-saving gaps and
 * overlaps), `every` cadence, `at` times with and without an offset, and the validation users see.
 */
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import { jobInput } from "../../src/cron/CronJob.ts"
import { formatInstant, nextRunAfter, parseAt, parseCron } from "../../src/cron/CronSchedule.ts"
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts"

const at = (iso: string) => Date.parse(iso)
const next = (expr: string, tz: string, after: string) =>
  Option.map(nextRunAfter({ _tag: "cron", expr, tz }, at(after)), (ms) => new Date(ms).toISOString())

Deno.test("CronSchedule finds the next run of an expression in its time zone, summer and winter", () => {
  assertEquals(next("0 9 * * *", "Europe/Berlin", "2026-01-15T10:00:00Z"), Option.some("2026-01-16T08:00:00.000Z"))
  assertEquals(next("0 9 * * *", "Europe/Berlin", "2026-07-15T06:00:00Z"), Option.some("2026-07-15T07:00:00.000Z"))
  assertEquals(next("0 9 * * *", "America/New_York", "2026-01-15T10:00:00Z"), Option.some("2026-01-15T14:00:00.000Z"))
  assertEquals(next("0 0 * * 1", "Asia/Kolkata", "2026-01-01T00:00:00Z"), Option.some("2026-01-04T18:30:00.000Z"))
  assertEquals(next("30 8 * * 1-5", "UTC", "2026-01-02T09:00:00Z"), Option.some("2026-01-05T08:30:00.000Z"))
  assertEquals(next("@daily", "Asia/Tokyo", "2026-05-01T16:00:00Z"), Option.some("2026-05-02T15:00:00.000Z"))
})

Deno.test("CronSchedule runs once on daylight-saving days: after a skipped hour, and at the first repeated hour", () => {
  assertEquals(next("30 2 * * *", "America/New_York", "2026-03-08T05:00:00Z"), Option.some("2026-03-08T07:30:00.000Z"))
  assertEquals(next("30 2 * * *", "America/New_York", "2026-03-08T07:30:00Z"), Option.some("2026-03-09T06:30:00.000Z"))
  assertEquals(next("30 1 * * *", "America/New_York", "2026-11-01T04:00:00Z"), Option.some("2026-11-01T05:30:00.000Z"))
  assertEquals(next("30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z"), Option.some("2026-11-02T06:30:00.000Z"))
})

Deno.test("CronSchedule rejects a bad expression or an unknown zone with a message naming it", () => {
  const badExpr = parseCron("61 * * * *", "UTC")
  assert(Result.isFailure(badExpr))
  assertStringIncludes(badExpr.failure, '"61 * * * *"')
  const badZone = parseCron("0 9 * * *", "Mars/Olympus")
  assert(Result.isFailure(badZone))
  assertStringIncludes(badZone.failure, '"Mars/Olympus"')
  assert(Result.isFailure(parseCron("every day", "UTC")))
})

Deno.test("CronSchedule keeps an every-N-seconds cadence anchored at creation and runs an at job once", () => {
  const every = { _tag: "every", seconds: 60, anchorMs: 1_000 } as const
  assertEquals(nextRunAfter(every, 1_000), Option.some(61_000))
  assertEquals(nextRunAfter(every, 61_000), Option.some(121_000))
  assertEquals(nextRunAfter(every, 3_600_500), Option.some(3_601_000))
  const once = { _tag: "at", atMs: 5_000 } as const
  assertEquals(nextRunAfter(once, 4_999), Option.some(5_000))
  assertEquals(nextRunAfter(once, 5_000), Option.none())
})

Deno.test("CronSchedule reads at times with an offset as instants and without one as wall time in the zone", () => {
  assertEquals(parseAt("2030-01-31T09:00:00Z", "Europe/Berlin"), Result.succeed(at("2030-01-31T09:00:00Z")))
  assertEquals(parseAt("2030-01-31T09:00+05:30", "UTC"), Result.succeed(at("2030-01-31T03:30:00Z")))
  assertEquals(parseAt("2030-01-31T09:00", "Europe/Berlin"), Result.succeed(at("2030-01-31T08:00:00Z")))
  assertEquals(parseAt("2030-07-31 09:00", "Europe/Berlin"), Result.succeed(at("2030-07-31T07:00:00Z")))
  assert(Result.isFailure(parseAt("tomorrow", "UTC")))
  assertEquals(formatInstant(at("2026-01-15T08:00:00Z"), "Europe/Berlin"), "2026-01-15T09:00:00+01:00")
})

Deno.test("CronJob input validation names what is wrong", () => {
  const now = at("2026-01-01T00:00:00Z")
  const problem = (input: Parameters<typeof jobInput>[0]) => {
    const result = jobInput(input, now, "UTC")
    return Result.isFailure(result) ? result.failure.message : "ok"
  }
  assertStringIncludes(problem({ cronExpr: "0 9 * * *" }), "message is required")
  assertStringIncludes(problem({ message: "m" }), "exactly one schedule")
  assertStringIncludes(problem({ message: "m", everySeconds: 5, cronExpr: "* * * * *" }), "exactly one schedule")
  assertStringIncludes(problem({ message: "m", everySeconds: 5, tz: "Europe/Berlin" }), "time zone only applies")
  assertStringIncludes(problem({ message: "m", everySeconds: 0 }), "at least 1")
  assertStringIncludes(problem({ message: "m", at: "2025-12-31T23:00:00Z" }), "in the past")
  assertStringIncludes(problem({ message: "m", cronExpr: "0 9 * * *", tz: "Nowhere/Land" }), "Nowhere/Land")
  const ok = jobInput({ message: "A long reminder text that goes on and on", everySeconds: 60 }, now, "UTC")
  assert(Result.isSuccess(ok))
  assertEquals(ok.success.name, "A long reminder text that goes…")
  const zoned = jobInput({ message: "m", cronExpr: "0 9 * * *" }, now, "Asia/Tokyo")
  assert(Result.isSuccess(zoned))
  assertEquals(zoned.success.schedule, { _tag: "cron", expr: "0 9 * * *", tz: "Asia/Tokyo" })
})
