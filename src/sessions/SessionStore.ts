/**
 * The `SessionStore` port: conversation history per session key (`"<channel>:<chatId>"`).
 *
 * Contract (checked by `tests/sessions/SessionStore.contract.ts` against every adapter):
 * - `append` commits one message at a time; a message is durable once `append` succeeds, and a crash loses at
 *   most the message being written. Sessions are never rewritten as a whole.
 * - Messages keep their timestamps and metadata, and get consecutive indexes from 0 within a session.
 * - `history` returns the newest `maxMessages` messages after the consolidated offset, repaired for replay: it
 *   starts at a user message when there is one, never with a tool result, and every assistant tool call has a
 *   result (a missing one is reported as interrupted).
 * - `setConsolidatedOffset` only moves forward; messages before it stay readable through `messages`.
 * - Failures are `StoreError`s; the store never throws.
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { ToolCall } from "../providers/LlmProvider.ts"

export interface StoredMessage {
  readonly role: "system" | "user" | "assistant" | "tool"
  readonly content: string | null
  readonly toolCalls?: ReadonlyArray<ToolCall>
  readonly toolCallId?: string
  /** Tool name, for tool results. */
  readonly name?: string
  readonly reasoningContent?: string
  /** Epoch milliseconds. */
  readonly timestamp: number
  readonly metadata?: Readonly<Record<string, unknown>>
}

export interface IndexedMessage extends StoredMessage {
  readonly index: number
}

export interface SessionInfo {
  readonly key: string
  readonly createdAt: number
  readonly updatedAt: number
  readonly messageCount: number
  readonly consolidatedOffset: number
  readonly metadata: Readonly<Record<string, unknown>>
}

export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  operation: Schema.String,
  message: Schema.String,
}) {}

export class SessionStore extends Context.Service<SessionStore, {
  /** Appends one message and returns its index. */
  readonly append: (key: string, message: StoredMessage) => Effect.Effect<number, StoreError>
  /** The replayable tail of the unconsolidated history. */
  readonly history: (
    key: string,
    options: { readonly maxMessages: number },
  ) => Effect.Effect<ReadonlyArray<StoredMessage>, StoreError>
  /** Raw messages with `from <= index < to` (to defaults to the end). */
  readonly messages: (
    key: string,
    range: { readonly from: number; readonly to?: number },
  ) => Effect.Effect<ReadonlyArray<IndexedMessage>, StoreError>
  readonly info: (key: string) => Effect.Effect<Option.Option<SessionInfo>, StoreError>
  readonly list: Effect.Effect<ReadonlyArray<SessionInfo>, StoreError>
  /** Moves the consolidated offset forward (never back, never past the end). */
  readonly setConsolidatedOffset: (key: string, offset: number) => Effect.Effect<void, StoreError>
  /** Shallow-merges `patch` into the session's metadata, creating the session if needed. */
  readonly updateMetadata: (key: string, patch: Readonly<Record<string, unknown>>) => Effect.Effect<void, StoreError>
}>()("claw/sessions/SessionStore") {}
