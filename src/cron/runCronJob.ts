/**
 * One run of a cron job: its message becomes an agent turn in the session `cron:<jobId>`. With a delivery target
 * the turn runs as that chat (channel, chat id, account), so the dispatcher's reply reaches it as a push and the
 * agent's `message` tool defaults to it; without one it runs on the internal "cron" pseudo-channel and the answer
 * is only logged and stored with the job. The outcome is recorded either way; this never fails.
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import { runScheduledTurn, type ScheduledTurnOutcome } from "../agent/runScheduledTurn.ts"
import type { CronJob } from "./CronJob.ts"
import { CronStore } from "./CronStore.ts"

/** Longest answer kept with the job (the session has the whole conversation). */
export const MAX_STORED_OUTPUT_CHARS = 4000

export const cronSessionKey = (jobId: string) => `cron:${jobId}`

export const runCronJob = Effect.fn("runCronJob")(function* (job: CronJob) {
  const store = yield* CronStore
  const ranAt = yield* Clock.currentTimeMillis
  yield* Effect.logInfo(`Cron job ${job.id} (${job.name}) running`)
  const outcome: ScheduledTurnOutcome = yield* runScheduledTurn({
    origin: "cron",
    content: job.message,
    sessionKey: cronSessionKey(job.id),
    channel: job.deliver?.channel ?? "cron",
    chatId: job.deliver?.chatId ?? job.id,
    ...(job.deliver?.accountId !== undefined ? { accountId: job.deliver.accountId } : {}),
  }).pipe(
    Effect.catchCause((cause) =>
      Cause.hasInterruptsOnly(cause)
        ? Effect.failCause(cause)
        : Effect.succeed({ ok: false, content: `the run crashed: ${Cause.pretty(cause)}` })
    ),
  )
  const output = outcome.content.length > MAX_STORED_OUTPUT_CHARS
    ? `${outcome.content.slice(0, MAX_STORED_OUTPUT_CHARS)}…`
    : outcome.content
  yield* store.recordResult(job.id, { ranAt, status: outcome.ok ? "ok" : "error", output }).pipe(
    Effect.catch((error) => Effect.logWarning(`Could not record the run of cron job ${job.id}: ${error.message}`)),
  )
  const target = job.deliver === undefined ? "not delivered" : `to ${job.deliver.channel}:${job.deliver.chatId}`
  const preview = output.length > 200 ? `${output.slice(0, 200)}…` : output
  if (outcome.ok) yield* Effect.logInfo(`Cron job ${job.id} answered (${target}): ${preview}`)
  else yield* Effect.logWarning(`Cron job ${job.id} failed: ${preview}`)
  return outcome
}, Effect.annotateLogs({ component: "cron" }))
