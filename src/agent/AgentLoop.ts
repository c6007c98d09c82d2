/**
 * One agent turn: load the session's history, build the context, then up to `maxToolIterations` rounds of
 * model ↔ tools. Every message is appended to the session as it is produced, so a crash loses at most the step in
 * flight. Tool failures go back to the model as text; provider failures (after the provider's own retries) end the
 * turn with a `TurnError` the caller can show to the user — the session stays usable. Every provider response's
 * usage is recorded (`UsageMeter`); a used-up daily token budget ends the turn with a message before the model is
 * called. A finished turn schedules a background memory consolidation of its session.
 */
import * as Context from "effect/Context"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { AppConfig } from "../config/AppConfig.ts"
import { type InboundMessage, sessionKeyOf } from "../bus/Messages.ts"
import { type ChatMessage, LlmProvider, type ProviderError, type Usage } from "../providers/LlmProvider.ts"
import { SessionStore, type StoredMessage, type StoreError } from "../sessions/SessionStore.ts"
import { ContextBuilder } from "./ContextBuilder.ts"
import { MemoryConsolidator } from "./memory/MemoryConsolidator.ts"
import type { ToolContext } from "./tools/Tool.ts"
import { ERROR_HINT, ToolRegistry } from "./tools/ToolRegistry.ts"
import { UsageMeter } from "./usage/UsageMeter.ts"

export interface TurnHooks {
  /** Streamed text; `segment` counts assistant messages in the turn and restarts the text when it changes. */
  readonly onDelta?: (segment: number, text: string) => Effect.Effect<void>
  readonly onToolCall?: (name: string, args: string) => Effect.Effect<void>
}

export interface TurnOptions {
  /** Tools the model may not use in this turn (subagents get no `message`/`spawn`). */
  readonly excludeTools?: ReadonlyArray<string>
  readonly maxIterations?: number
  /** Skip reading and writing session history (one-off turns). */
  readonly ephemeral?: boolean
}

export interface TurnResult {
  /** The final answer; empty when it already went to this chat through the message tool. */
  readonly content: string
  readonly suppressed: boolean
  readonly iterations: number
  readonly hitLimit: boolean
  readonly usage: Usage
}

export class TurnError extends Schema.TaggedError<TurnError>()("TurnError", {
  reason: Schema.Literals(["Provider", "Store"]),
  message: Schema.String,
}) {}

const toTurnError = (error: ProviderError | StoreError) =>
  new TurnError({
    reason: error._tag === "ProviderError" ? "Provider" : "Store",
    message: error._tag === "ProviderError" ? error.message : `Session storage failed: ${error.message}`,
  })

export const limitMessage = (limit: number) =>
  `I stopped after ${limit} tool rounds without reaching a final answer. ` +
  "Tell me how to continue, or ask for a smaller step."

export class AgentLoop extends Context.Service<AgentLoop, {
  readonly runTurn: (
    message: InboundMessage,
    hooks?: TurnHooks,
    options?: TurnOptions,
  ) => Effect.Effect<TurnResult, TurnError>
}>()("claw/agent/AgentLoop") {
  static readonly layer = Layer.effect(
    AgentLoop,
    Effect.gen(function* () {
      const { config } = yield* AppConfig
      const provider = yield* LlmProvider
      const sessions = yield* SessionStore
      const contexts = yield* ContextBuilder
      const tools = yield* ToolRegistry
      const meter = yield* UsageMeter
      const memory = yield* MemoryConsolidator
      const defaults = config.agents.defaults

      const runTurn = Effect.fn("AgentLoop.runTurn")(
        function* (message: InboundMessage, hooks: TurnHooks = {}, options: TurnOptions = {}) {
          const sessionKey = sessionKeyOf(message)
          const ephemeral = options.ephemeral === true
          const refusal = yield* meter.refusal(sessionKey)
          if (refusal !== undefined) {
            const usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 }
            return { content: refusal, suppressed: false, iterations: 0, hitLimit: false, usage }
          }
          const history = ephemeral ? [] : yield* sessions.history(sessionKey, { maxMessages: defaults.memoryWindow })
          const { messages: initial, userContent } = yield* contexts.build(message, history)
          const written: Array<StoredMessage> = []
          const persist = (stored: StoredMessage) =>
            ephemeral
              ? Effect.void
              : sessions.append(sessionKey, stored).pipe(Effect.andThen(Effect.sync(() => void written.push(stored))))
          const consolidateLater = Effect.suspend(() =>
            ephemeral ? Effect.void : memory.schedule(
              sessionKey,
              history.length < defaults.memoryWindow ? [...history, ...written] : undefined,
            ).pipe(Effect.asVoid)
          )
          yield* persist({
            role: "user",
            content: userContent,
            timestamp: message.timestamp,
            metadata: { messageId: message.id, senderId: message.senderId, channel: message.channel },
          })
          const toolSpecs = yield* tools.specs(options.excludeTools)
          const context: ToolContext = {
            channel: message.channel,
            chatId: message.chatId,
            sessionKey,
            delivered: new Set(),
            messageId: message.id,
            ...(message.accountId !== undefined ? { accountId: message.accountId } : {}),
          }
          const conversation: Array<ChatMessage> = [...initial]
          const usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 }
          const limit = options.maxIterations ?? defaults.maxToolIterations
          let segment = 0
          for (let iteration = 1; iteration <= limit; iteration++) {
            const current = segment
            const response = yield* provider.chat(
              {
                model: defaults.model,
                provider: defaults.provider,
                messages: conversation,
                tools: toolSpecs,
                maxTokens: defaults.maxTokens,
                temperature: defaults.temperature,
                ...(defaults.reasoningEffort !== undefined ? { reasoningEffort: defaults.reasoningEffort } : {}),
              },
              {
                onTextDelta: (text) => hooks.onDelta === undefined ? Effect.void : hooks.onDelta(current, text),
                onRetry: () => Effect.sync(() => void segment++),
              },
            )
            segment++
            yield* meter.record(sessionKey, response.usage)
            usage.promptTokens += response.usage.promptTokens
            usage.completionTokens += response.usage.completionTokens
            usage.totalTokens += response.usage.totalTokens
            const now = yield* Clock.currentTimeMillis
            const assistant: ChatMessage = {
              role: "assistant",
              content: response.content,
              ...(response.toolCalls.length > 0 ? { toolCalls: response.toolCalls } : {}),
              ...(response.reasoningContent !== undefined ? { reasoningContent: response.reasoningContent } : {}),
            }
            conversation.push(assistant)
            yield* persist({ ...assistant, timestamp: now, metadata: { model: response.model, usage: response.usage } })
            if (response.toolCalls.length === 0) {
              const content = response.content ?? ""
              const suppressed = context.delivered.has(`${message.channel}:${message.chatId}`)
              yield* consolidateLater
              return { content: suppressed ? "" : content, suppressed, iterations: iteration, hitLimit: false, usage }
            }
            for (const call of response.toolCalls) {
              if (hooks.onToolCall !== undefined) yield* hooks.onToolCall(call.name, call.arguments)
              const result = options.excludeTools?.includes(call.name) === true
                ? `Error: the tool "${call.name}" is not available here.${ERROR_HINT}`
                : yield* tools.execute(call, context)
              const toolMessage: ChatMessage = { role: "tool", toolCallId: call.id, name: call.name, content: result }
              conversation.push(toolMessage)
              yield* persist({ ...toolMessage, timestamp: yield* Clock.currentTimeMillis })
            }
          }
          const content = limitMessage(limit)
          yield* persist({ role: "assistant", content, timestamp: yield* Clock.currentTimeMillis })
          yield* consolidateLater
          return { content, suppressed: false, iterations: limit, hitLimit: true, usage }
        },
        Effect.mapError(toTurnError),
      )

      return AgentLoop.of({ runTurn })
    }),
  )
}
