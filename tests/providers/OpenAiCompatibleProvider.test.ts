/**
 * `OpenAiCompatibleProvider` against the fake OpenAI-compatible server: streaming, tool calls, reasoning replay,
 * request mapping (model names, headers, overrides) and configuration errors. Failure handling and retries are in
 * `OpenAiCompatibleProvider.failures.test.ts`.
 */
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict"
import * as Effect from "effect/Effect"
import type { ChatMessage } from "../../src/providers/LlmProvider.ts"
import {
  chatError,
  CONFIG_PATH,
  configFor,
  providerLayer,
  runChat,
  SECRET,
  user,
  withFakeLlm,
} from "../support/llm_provider_harness.ts"

Deno.test(
  "OpenAiCompatibleProvider streams text deltas in order and returns the whole answer with usage",
  withFakeLlm(async (fake) => {
    fake.script({ text: "Hello there, world", usage: { prompt_tokens: 12, completion_tokens: 5 } })
    const deltas: Array<string> = []
    const layer = providerLayer(configFor({ openai: { apiKey: SECRET, apiBase: fake.url } }))
    const response = await runChat(layer, { model: "openai/gpt-4o", messages: [user("Hi")] }, {
      onTextDelta: (delta) => Effect.sync(() => void deltas.push(delta)),
    })
    assertEquals(deltas, ["Hello ", "there, ", "world"])
    assertEquals(response.content, "Hello there, world")
    assertEquals(response.toolCalls, [])
    assertEquals(response.finishReason, "stop")
    assertEquals(response.usage, { promptTokens: 12, completionTokens: 5, totalTokens: 17 })
    assertEquals([response.provider, response.model], ["openai", "gpt-4o"])
    const sent = fake.requests[0]!
    assertEquals(sent.headers["authorization"], `Bearer ${SECRET}`)
    assertEquals(sent.body.model, "gpt-4o")
    assertEquals([sent.body.stream, sent.body.stream_options], [true, { include_usage: true }])
    assertEquals([sent.body.max_tokens, sent.body.temperature], [8192, 0.1])
    assertEquals(sent.body.messages, [{ role: "user", content: "Hi" }])
    assert(!("tools" in sent.body) && !("reasoning_effort" in sent.body))
  }),
)

Deno.test(
  "OpenAiCompatibleProvider assembles tool calls from streamed fragments and sends tool specs",
  withFakeLlm(async (fake) => {
    fake.script({
      toolCalls: [
        { name: "read_file", arguments: { path: "notes.md" }, id: "call_a" },
        { name: "exec", arguments: { command: "ls -la", working_dir: "." }, id: "call_b" },
      ],
    })
    const layer = providerLayer(configFor({ openai: { apiKey: SECRET, apiBase: fake.url } }))
    const parameters = { type: "object", properties: { path: { type: "string" } }, required: ["path"] }
    const response = await runChat(layer, {
      model: "gpt-4o",
      messages: [user("Read my notes")],
      tools: [{ name: "read_file", description: "Read a file", parameters }],
    })
    assertEquals(response.content, null)
    assertEquals(response.finishReason, "tool_calls")
    assertEquals(response.toolCalls, [
      { id: "call_a", name: "read_file", arguments: '{"path":"notes.md"}' },
      { id: "call_b", name: "exec", arguments: '{"command":"ls -la","working_dir":"."}' },
    ])
    assertEquals(fake.requests[0]!.body["tools"], [
      { type: "function", function: { name: "read_file", description: "Read a file", parameters } },
    ])
  }),
)

const history = (reasoning: string): ReadonlyArray<ChatMessage> => [
  user("What is in notes.md?"),
  {
    role: "assistant",
    content: null,
    reasoningContent: reasoning,
    toolCalls: [{ id: "call_1", name: "read_file", arguments: '{"path":"notes.md"}' }],
  },
  { role: "tool", toolCallId: "call_1", name: "read_file", content: "buy milk" },
]

Deno.test(
  "OpenAiCompatibleProvider captures reasoning_content and replays it to DeepSeek but not to OpenAI",
  withFakeLlm(async (fake) => {
    fake.script({ reasoning: "The user wants the file.", text: "Buy milk." }, { text: "ok" }, { text: "ok" })
    const layer = providerLayer(configFor({
      deepseek: { apiKey: SECRET, apiBase: fake.url },
      openai: { apiKey: SECRET, apiBase: fake.url },
    }))
    const first = await runChat(layer, { model: "deepseek-chat", messages: [user("Hi")] })
    assertEquals([first.reasoningContent, first.content, first.provider], [
      "The user wants the file.",
      "Buy milk.",
      "deepseek",
    ])
    await runChat(layer, { model: "deepseek/deepseek-chat", messages: history("I should read it.") })
    await runChat(layer, { model: "openai/gpt-4o", messages: history("I should read it.") })
    const assistantSent = (index: number) => fake.requests[index]!.body.messages![1]!
    assertEquals(assistantSent(1), {
      role: "assistant",
      content: null,
      tool_calls: [{
        id: "call_1",
        type: "function",
        function: { name: "read_file", arguments: '{"path":"notes.md"}' },
      }],
      reasoning_content: "I should read it.",
    })
    assert(!("reasoning_content" in assistantSent(2)))
    assertEquals(fake.requests[1]!.body.messages![2], { role: "tool", tool_call_id: "call_1", content: "buy milk" })
  }),
)

Deno.test(
  "OpenAiCompatibleProvider sends the configured extraHeaders and keeps the vendor prefix for OpenRouter",
  withFakeLlm(async (fake) => {
    const extraHeaders = { "HTTP-Referer": "https://claw.example", "X-Title": "claw" }
    const layer = providerLayer(configFor({ openrouter: { apiKey: SECRET, apiBase: fake.url, extraHeaders } }))
    const response = await runChat(layer, { model: "anthropic/claude-opus-4-5", messages: [user("2+2?")] })
    assertEquals(response.content, "4")
    assertEquals(response.provider, "openrouter")
    const sent = fake.requests[0]!
    assertEquals(sent.body.model, "anthropic/claude-opus-4-5")
    assertEquals([sent.headers["http-referer"], sent.headers["x-title"]], ["https://claw.example", "claw"])
  }),
)

Deno.test(
  "OpenAiCompatibleProvider strips the provider prefix for DeepSeek and takes the key from the environment",
  withFakeLlm(async (fake) => {
    const layer = providerLayer(configFor({ deepseek: { apiBase: fake.url } }), { DEEPSEEK_API_KEY: SECRET })
    await runChat(layer, { model: "deepseek/deepseek-chat", messages: [user("Hi")] })
    assertEquals(fake.requests[0]!.body.model, "deepseek-chat")
    assertEquals(fake.requests[0]!.headers["authorization"], `Bearer ${SECRET}`)
  }),
)

Deno.test(
  "OpenAiCompatibleProvider talks to a keyless vLLM server with a placeholder key",
  withFakeLlm(async (fake) => {
    const layer = providerLayer(configFor({ vllm: { apiBase: fake.url } }))
    const response = await runChat(layer, { model: "vllm/llama-3-8b", messages: [user("My name is Ada.")] })
    assertEquals(response.content, "Nice to meet you, Ada.")
    assertEquals(fake.requests[0]!.body.model, "llama-3-8b")
    assertEquals(fake.requests[0]!.headers["authorization"], "Bearer no-key")
  }),
)

Deno.test(
  "OpenAiCompatibleProvider applies model overrides, request settings and reasoning_effort",
  withFakeLlm(async (fake) => {
    const layer = providerLayer(configFor({ moonshot: { apiKey: SECRET, apiBase: fake.url } }))
    await runChat(layer, { model: "kimi-k2.5", messages: [user("Hi")], temperature: 0.3, maxTokens: 100 })
    await runChat(layer, { model: "kimi-k2", messages: [user("Hi")], temperature: 0.3, reasoningEffort: "high" })
    const [first, second] = fake.requests.map((request) => request.body)
    assertEquals([first!.temperature, first!.max_tokens, first!["reasoning_effort"]], [1, 100, undefined])
    assertEquals([second!.temperature, second!.max_tokens, second!["reasoning_effort"]], [0.3, 8192, "high"])
  }),
)

Deno.test("OpenAiCompatibleProvider says which config key and env var to set when the key is missing", async () => {
  const layer = providerLayer(configFor({}))
  const error = await chatError(layer, { model: "anthropic/claude-opus-4-5", messages: [user("Hi")] })
  assertEquals([error.reason, error.provider, error.retryable], ["MissingKey", "anthropic", false])
  assertEquals(
    error.message,
    `No API key for Anthropic (model "anthropic/claude-opus-4-5"): set providers.anthropic.apiKey in ${CONFIG_PATH} ` +
      "or export ANTHROPIC_API_KEY.",
  )
})

Deno.test("OpenAiCompatibleProvider rejects an unknown provider and lists the known ones", async () => {
  const layer = providerLayer(configFor({ openai: { apiKey: SECRET } }, { provider: "openia" }))
  const error = await chatError(layer, { model: "gpt-4o", messages: [user("Hi")] })
  assertEquals([error.reason, error.provider], ["UnknownProvider", "openia"])
  assert(error.message.startsWith('Unknown LLM provider "openia": use "auto" or one of custom, openrouter,'))
  assert(error.message.includes("openai") && error.message.includes("vllm"))
})

Deno.test("OpenAiCompatibleProvider explains that no provider is configured for a model nobody matches", async () => {
  const error = await chatError(providerLayer(configFor({})), { model: "mystery-model", messages: [user("Hi")] })
  assertEquals(error.reason, "MissingKey")
  assert(error.message.startsWith('No LLM provider for model "mystery-model": set providers.<name>.apiKey in'))
  assert(error.message.includes(CONFIG_PATH))
})
