/**
 * Our chat types ↔ OpenAI Chat Completions: the streaming request body, and an accumulator that folds stream
 * chunks (text, tool-call fragments by index, `reasoning_content`, usage, finish reason) into a `ChatResponse`.
 */
import type OpenAI from "openai"
import type { ChatMessage, ChatRequest, ChatResponse, ToolCall } from "../LlmProvider.ts"
import type { ProviderSpec } from "../ProviderRegistry.ts"

type MessageParam = OpenAI.ChatCompletionMessageParam
type AssistantParam = OpenAI.ChatCompletionAssistantMessageParam & { reasoning_content?: string }

export const toMessageParam = (message: ChatMessage, replayReasoning: boolean): MessageParam => {
  switch (message.role) {
    case "system":
    case "user":
      return { role: message.role, content: message.content }
    case "tool":
      return { role: "tool", tool_call_id: message.toolCallId, content: message.content }
    case "assistant": {
      const calls = message.toolCalls ?? []
      const param: AssistantParam = { role: "assistant", content: message.content }
      if (calls.length > 0) {
        param.tool_calls = calls.map((call) => ({
          id: call.id,
          type: "function",
          function: { name: call.name, arguments: call.arguments },
        }))
      }
      if (replayReasoning && message.reasoningContent !== undefined) param.reasoning_content = message.reasoningContent
      return param
    }
  }
}

export interface RequestDefaults {
  readonly maxTokens: number
  readonly temperature: number
  readonly reasoningEffort: string | undefined
}

export const toRequestBody = (
  request: ChatRequest,
  spec: ProviderSpec,
  apiModel: string,
  defaults: RequestDefaults,
): OpenAI.ChatCompletionCreateParamsStreaming => {
  const lowerModel = apiModel.toLowerCase()
  const override = spec.modelOverrides?.find(([pattern]) => lowerModel.includes(pattern.toLowerCase()))?.[1]
  const tools = request.tools ?? []
  const reasoningEffort = request.reasoningEffort ?? defaults.reasoningEffort
  return {
    model: apiModel,
    messages: request.messages.map((message) => toMessageParam(message, spec.replayReasoning === true)),
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: request.maxTokens ?? defaults.maxTokens,
    temperature: override?.temperature ?? request.temperature ?? defaults.temperature,
    ...(tools.length > 0
      ? {
        tools: tools.map((tool) => ({
          type: "function" as const,
          function: { name: tool.name, description: tool.description, parameters: { ...tool.parameters } },
        })),
      }
      : {}),
    ...(reasoningEffort === undefined ? {} : { reasoning_effort: reasoningEffort as OpenAI.ReasoningEffort }),
  }
}

interface PartialCall {
  id: string
  name: string
  arguments: string
}

/** Fields some providers add to a delta: DeepSeek/Kimi/GLM send `reasoning_content`, OpenRouter `reasoning`. */
const reasoningOf = (delta: object): string | undefined => {
  const field = "reasoning_content" in delta ? delta.reasoning_content : "reasoning" in delta ? delta.reasoning : null
  return typeof field === "string" && field !== "" ? field : undefined
}

/** Folds stream chunks into one answer. `add` returns the text fragment of the chunk, if any. */
export const makeAccumulator = (provider: string, requestedModel: string) => {
  let text = ""
  let reasoning = ""
  let finishReason: string | undefined
  let model = requestedModel
  let usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 }
  const calls = new Map<number, PartialCall>()

  const add = (chunk: OpenAI.ChatCompletionChunk): string | undefined => {
    if (chunk.model) model = chunk.model
    if (chunk.usage) {
      const { prompt_tokens, completion_tokens } = chunk.usage
      usage = {
        promptTokens: prompt_tokens ?? 0,
        completionTokens: completion_tokens ?? 0,
        totalTokens: chunk.usage.total_tokens ?? (prompt_tokens ?? 0) + (completion_tokens ?? 0),
      }
    }
    const choice = chunk.choices?.[0]
    if (choice === undefined) return undefined
    if (choice.finish_reason) finishReason = choice.finish_reason
    const delta = choice.delta ?? {}
    reasoning += reasoningOf(delta) ?? ""
    for (const fragment of delta.tool_calls ?? []) {
      const call = calls.get(fragment.index) ?? { id: "", name: "", arguments: "" }
      if (fragment.id && call.id === "") call.id = fragment.id
      const name = fragment.function?.name
      if (name && name !== call.name) call.name += name
      call.arguments += fragment.function?.arguments ?? ""
      calls.set(fragment.index, call)
    }
    const piece = delta.content
    if (typeof piece !== "string" || piece === "") return undefined
    text += piece
    return piece
  }

  const result = (): ChatResponse => {
    const toolCalls: Array<ToolCall> = [...calls.entries()].sort(([a], [b]) => a - b).map(([index, call]) => ({
      id: call.id === "" ? `call_${index}` : call.id,
      name: call.name,
      arguments: call.arguments.trim() === "" ? "{}" : call.arguments,
    }))
    return {
      content: text === "" && toolCalls.length > 0 ? null : text,
      toolCalls,
      ...(reasoning === "" ? {} : { reasoningContent: reasoning }),
      finishReason: finishReason ?? "stop",
      usage,
      provider,
      model,
    }
  }

  return { add, result, finishReason: () => finishReason }
}
