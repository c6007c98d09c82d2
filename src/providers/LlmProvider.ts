/**
 * The `LlmProvider` port: one chat completion with tools, streamed. Adapters translate a vendor's wire format
 * into these types once; the agent loop never sees a vendor SDK.
 *
 * Contract:
 * - `chat` resolves with the whole assistant message (text, tool calls, reasoning, usage) after the stream ends;
 *   `onTextDelta` is called with each text fragment as it arrives, in order.
 * - Transient failures (429, 5xx, timeouts, connection resets) are retried inside the adapter on
 *   `llmRetrySchedule`; when `onRetry` is given it is called before each retry so a caller that rendered partial
 *   text can reset it.
 * - Every failure surfaces as a `ProviderError` whose message is safe to show to a user (no keys, no headers).
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

export interface ToolCall {
  readonly id: string
  readonly name: string
  /** Raw JSON text of the arguments, exactly as the model produced it. */
  readonly arguments: string
}

export type ChatMessage =
  | { readonly role: "system"; readonly content: string }
  | { readonly role: "user"; readonly content: string }
  | {
    readonly role: "assistant"
    readonly content: string | null
    readonly toolCalls?: ReadonlyArray<ToolCall>
    readonly reasoningContent?: string
  }
  | { readonly role: "tool"; readonly toolCallId: string; readonly name: string; readonly content: string }

export interface ToolSpec {
  readonly name: string
  readonly description: string
  /** JSON Schema of the arguments object. */
  readonly parameters: Readonly<Record<string, unknown>>
}

export interface ChatRequest {
  readonly model: string
  /** Provider name or "auto". */
  readonly provider?: string
  readonly messages: ReadonlyArray<ChatMessage>
  readonly tools?: ReadonlyArray<ToolSpec>
  readonly maxTokens?: number
  readonly temperature?: number
  readonly reasoningEffort?: string
}

export interface Usage {
  readonly promptTokens: number
  readonly completionTokens: number
  readonly totalTokens: number
}

export interface ChatResponse {
  readonly content: string | null
  readonly toolCalls: ReadonlyArray<ToolCall>
  readonly reasoningContent?: string
  readonly finishReason: string
  readonly usage: Usage
  /** Provider and model that answered, for logs and accounting. */
  readonly provider: string
  readonly model: string
}

export interface ChatOptions {
  readonly onTextDelta?: (delta: string) => Effect.Effect<void>
  readonly onRetry?: (error: ProviderError) => Effect.Effect<void>
}

export const ProviderErrorReason = Schema.Literals([
  "MissingKey",
  "UnknownProvider",
  "Auth",
  "RateLimited",
  "ServerError",
  "Timeout",
  "Network",
  "BadRequest",
  "InvalidResponse",
])

export class ProviderError extends Schema.TaggedError<ProviderError>()("ProviderError", {
  reason: ProviderErrorReason,
  provider: Schema.String,
  message: Schema.String,
  status: Schema.optionalKey(Schema.Number),
  retryable: Schema.Boolean,
  retryAfterMs: Schema.optionalKey(Schema.Number),
}) {}

export class LlmProvider extends Context.Service<LlmProvider, {
  readonly chat: (request: ChatRequest, options?: ChatOptions) => Effect.Effect<ChatResponse, ProviderError>
}>()("claw/providers/LlmProvider") {}
