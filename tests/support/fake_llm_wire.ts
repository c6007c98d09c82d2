/**
 * The wire half of the fake LLM (`fake_llm.ts`): OpenAI Chat Completions JSON and SSE chunks built from a
 * `FakeResponse`, and the deterministic rule-based answerer used when nothing is scripted.
 */

export interface FakeToolCall {
  readonly name: string
  /** A JSON string, or an object that is serialised. */
  readonly arguments: string | Readonly<Record<string, unknown>>
  readonly id?: string
}

export interface FakeUsage {
  readonly prompt_tokens: number
  readonly completion_tokens: number
  readonly total_tokens?: number
}

export interface FakeResponse {
  readonly text?: string
  readonly toolCalls?: ReadonlyArray<FakeToolCall>
  readonly reasoning?: string
  readonly usage?: FakeUsage
  readonly finishReason?: string
  readonly status?: number
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  readonly delayMs?: number
  readonly stallMs?: number
  readonly dropConnection?: boolean
  readonly malformed?: boolean
}

export interface FakeMessage {
  readonly role?: string
  readonly content?: string | ReadonlyArray<{ readonly type?: string; readonly text?: string }> | null
  readonly [key: string]: unknown
}

/** The parsed JSON body of a request, as the client sent it. */
export interface FakeChatBody {
  readonly model?: string
  readonly messages?: ReadonlyArray<FakeMessage>
  readonly stream?: boolean
  readonly stream_options?: { readonly include_usage?: boolean }
  readonly [key: string]: unknown
}

const textOf = (message: FakeMessage): string =>
  typeof message.content === "string"
    ? message.content
    : Array.isArray(message.content)
    ? message.content.map((part) => part.text ?? "").join("")
    : ""

const NAME = /my name is\s+([^.!?,\n]+)/i

/** 2+2 → "4"; "My name is X" → greets X; "What is my name?" → recalls X from earlier user messages; else echoes. */
export const defaultAnswer = (body: FakeChatBody): string => {
  const users = (body.messages ?? []).filter((message) => message.role === "user").map(textOf)
  const last = users[users.length - 1] ?? ""
  if (last.includes("2+2")) return "4"
  if (/what is my name\?/i.test(last)) {
    const earlier = users.slice(0, -1).map((text) => NAME.exec(text)?.[1]?.trim()).filter((name) => name)
    const name = earlier[earlier.length - 1]
    return name === undefined ? "I don't know your name." : `Your name is ${name}.`
  }
  const introduced = NAME.exec(last)?.[1]?.trim()
  if (introduced !== undefined && introduced !== "") return `Nice to meet you, ${introduced}.`
  return `Echo: ${last}`
}

export const errorBody = (status: number) => ({
  error: {
    message: status === 401 ? "Invalid API key." : status === 404 ? "Not found." : `Fake error ${status}.`,
    type: status === 401 ? "invalid_request_error" : "server_error",
    code: null,
  },
})

const argumentsText = (call: FakeToolCall) =>
  typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments)

const estimateTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4))

const usageOf = (spec: FakeResponse, body: FakeChatBody) => {
  if (spec.usage !== undefined) {
    const { prompt_tokens, completion_tokens } = spec.usage
    return {
      prompt_tokens,
      completion_tokens,
      total_tokens: spec.usage.total_tokens ?? prompt_tokens + completion_tokens,
    }
  }
  const prompt = estimateTokens((body.messages ?? []).map(textOf).join("\n"))
  const produced = (spec.reasoning ?? "") + (spec.text ?? "") + (spec.toolCalls ?? []).map(argumentsText).join("")
  const completion = estimateTokens(produced)
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion }
}

const finishReasonOf = (spec: FakeResponse) =>
  spec.finishReason ?? ((spec.toolCalls ?? []).length > 0 ? "tool_calls" : "stop")

const callId = (call: FakeToolCall, index: number) => call.id ?? `call_fake_${index}`

/** A non-streaming `chat.completion` object. */
export const completionJson = (id: string, model: string, spec: FakeResponse, body: FakeChatBody) => {
  const toolCalls = (spec.toolCalls ?? []).map((call, index) => ({
    id: callId(call, index),
    type: "function",
    function: { name: call.name, arguments: argumentsText(call) },
  }))
  return {
    id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{
      index: 0,
      message: {
        role: "assistant",
        content: spec.text ?? (toolCalls.length > 0 ? null : ""),
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        ...(spec.reasoning !== undefined ? { reasoning_content: spec.reasoning } : {}),
      },
      finish_reason: finishReasonOf(spec),
    }],
    usage: usageOf(spec, body),
  }
}

const words = (text: string) => text.match(/\S+\s*|\s+/g) ?? []

const thirds = (text: string) => {
  const size = Math.max(1, Math.ceil(text.length / 3))
  const out: Array<string> = []
  for (let at = 0; at < text.length; at += size) out.push(text.slice(at, at + size))
  return out.length === 0 ? [""] : out
}

/** The SSE events (`data: ...\n\n`) of a streamed answer, ending with `data: [DONE]`. */
export const encodeStream = (id: string, model: string, spec: FakeResponse, body: FakeChatBody) => {
  const created = Math.floor(Date.now() / 1000)
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    `data: ${
      JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finishReason }],
      })
    }\n\n`
  const events = [chunk({ role: "assistant", content: "" })]
  if (spec.malformed === true) events.push(`data: {"id": "${id}", "choices": [\n\n`)
  for (const piece of words(spec.reasoning ?? "")) events.push(chunk({ reasoning_content: piece }))
  for (const piece of words(spec.text ?? "")) events.push(chunk({ content: piece }))
  for (const [index, call] of (spec.toolCalls ?? []).entries()) {
    const head = { index, id: callId(call, index), type: "function", function: { name: call.name, arguments: "" } }
    events.push(chunk({ tool_calls: [head] }))
    for (const fragment of thirds(argumentsText(call))) {
      events.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }))
    }
  }
  events.push(chunk({}, finishReasonOf(spec)))
  if (spec.usage !== undefined || body.stream_options?.include_usage === true) {
    const usage = usageOf(spec, body)
    events.push(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage })}\n\n`,
    )
  }
  events.push("data: [DONE]\n\n")
  return events
}

/** The smallest valid streamed answer ("ok"), pre-encoded for benchmarks. */
export const INSTANT_STREAM = new TextEncoder().encode(
  encodeStream("chatcmpl-instant", "fake-model", { text: "ok", usage: { prompt_tokens: 1, completion_tokens: 1 } }, {})
    .join(""),
)
