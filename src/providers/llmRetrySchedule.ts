/**
 * When to retry a failed LLM request: capped exponential backoff with jitter, only while the `ProviderError` is
 * retryable, at most `maxRetries` times. A server's `Retry-After` wins over a shorter backoff (but is itself capped,
 * so a bogus header cannot park a turn for hours).
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import type { RetryConfig } from "../config/ConfigSchema.ts"
import type { ProviderError } from "./LlmProvider.ts"

export type LlmRetrySettings = Pick<typeof RetryConfig.Type, "maxRetries" | "baseDelayMs" | "maxDelayMs">

/** The longest `Retry-After` honoured. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000

/** The delay before the next attempt: jittered backoff capped at `maxDelayMs`, at least the capped Retry-After. */
export const retryDelayMs = (backoffMs: number, maxDelayMs: number, retryAfterMs: number | undefined) =>
  Math.max(Math.min(backoffMs, maxDelayMs), Math.min(Math.max(retryAfterMs ?? 0, 0), MAX_RETRY_AFTER_MS))

export const llmRetrySchedule = (
  config: LlmRetrySettings,
): Schedule.Schedule<Duration.Duration, ProviderError> =>
  Schedule.exponential(Duration.millis(config.baseDelayMs)).pipe(
    Schedule.jittered,
    Schedule.setInputType<ProviderError>(),
    Schedule.modifyDelay(({ duration, input }) =>
      Effect.succeed(Duration.millis(retryDelayMs(Duration.toMillis(duration), config.maxDelayMs, input.retryAfterMs)))
    ),
    Schedule.while(({ input }) => input.retryable),
    Schedule.upTo({ times: config.maxRetries }),
  )
