import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts"
import * as Redacted from "effect/Redacted"
import { decodeConfigText, decodeConfigValue } from "../../src/config/decodeConfig.ts"
import { envOverrides } from "../../src/config/envOverrides.ts"

const ok = (input: unknown) => {
  const decoded = decodeConfigValue(input)
  if (decoded._tag !== "Ok") throw new Error(`expected a valid config, got: ${decoded.problems.join("; ")}`)
  return decoded
}

const problems = (input: unknown) => {
  const decoded = decodeConfigValue(input)
  if (decoded._tag !== "Invalid") throw new Error("expected an invalid config")
  return decoded.problems
}

Deno.test("decodeConfig fills every default from an empty object", () => {
  const { config, warnings } = ok({})
  assertEquals(config.agents.defaults.maxTokens, 8192)
  assertEquals(config.agents.defaults.temperature, 0.1)
  assertEquals(config.agents.defaults.maxToolIterations, 40)
  assertEquals(config.agents.defaults.memoryWindow, 100)
  assertEquals(config.agents.defaults.provider, "auto")
  assertEquals(config.tools.restrictToWorkspace, true)
  assertEquals(config.tools.exec.timeout, 60)
  assertEquals(config.gateway.heartbeat.intervalS, 1800)
  assertEquals(config.channels.websocket.host, "127.0.0.1")
  assertEquals(config.channels.websocket.port, 18800)
  assertEquals(warnings, [])
})

Deno.test("decodeConfig accepts snake_case, camelCase and kebab-case spellings of the same keys", () => {
  const { config } = ok({
    agents: { defaults: { max_tokens: 100, maxToolIterations: 3, "memory-window": 7 } },
    providers: { openrouter: { api_key: "sk-or-abc", api_base: "http://127.0.0.1:1/v1" } },
    tools: { restrict_to_workspace: false },
  })
  assertEquals(config.agents.defaults.maxTokens, 100)
  assertEquals(config.agents.defaults.maxToolIterations, 3)
  assertEquals(config.agents.defaults.memoryWindow, 7)
  assertEquals(Redacted.value(config.providers.openrouter!.apiKey!), "sk-or-abc")
  assertEquals(config.providers.openrouter!.apiBase, "http://127.0.0.1:1/v1")
  assertEquals(config.tools.restrictToWorkspace, false)
})

Deno.test("decodeConfig keeps user-chosen keys of maps as written", () => {
  const { config } = ok({
    providers: { custom: { extra_headers: { "X-Api_Version": "2" } } },
    tools: { mcp_servers: { my_server: { command: "node" } } },
  })
  assertEquals(config.providers.custom!.extraHeaders, { "X-Api_Version": "2" })
  assertEquals(Object.keys(config.tools.mcpServers), ["my_server"])
})

Deno.test("decodeConfig accepts the seed's channels.ws as channels.websocket", () => {
  const { config } = ok({ channels: { ws: { enabled: true, port: 19000, host: "127.0.0.1", path: "/chat" } } })
  assertEquals(config.channels.websocket.port, 19000)
  assertEquals(config.channels.websocket.path, "/chat")
})

Deno.test("decodeConfig reports one line per problem with the key path as written, the value and the expectation", () => {
  const lines = problems({
    agents: { defaults: { max_tokens: "big", temperature: 5 } },
    channels: { ws: { port: 70000 } },
    tools: { mcpServers: { srv: { args: ["ok", 3] } } },
  })
  assertEquals(lines.length, 4)
  assert(lines.some((l) => l.startsWith("agents.defaults.max_tokens:") && l.includes(`got "big"`)), lines.join("\n"))
  assert(lines.some((l) => l.startsWith("agents.defaults.temperature:") && l.includes("got 5")), lines.join("\n"))
  assert(lines.some((l) => l.startsWith("channels.ws.port:") && l.includes("70000")), lines.join("\n"))
  assert(lines.some((l) => l.startsWith("tools.mcpServers.srv.args[1]:") && l.includes("got 3")), lines.join("\n"))
})

Deno.test("decodeConfig never prints a secret value, even a wrongly typed one", () => {
  const lines = problems({ providers: { openai: { apiKey: 12345678901 } }, gateway: { admin_token: ["sekrit-value"] } })
  const text = lines.join("\n")
  assertStringIncludes(text, "providers.openai.apiKey")
  assertEquals(text.includes("12345678901"), false)
  assertEquals(text.includes("sekrit-value"), false)
})

Deno.test("decodeConfig warns about unknown keys instead of failing, and names unsupported channels", () => {
  const { warnings } = ok({ agents: { defaults: { modle: "x" } }, channels: { telegram: { enabled: true } }, extra: 1 })
  assertEquals(warnings.length, 3)
  assert(warnings.some((w) => w.startsWith("agents.defaults.modle: unknown key")))
  assert(warnings.some((w) => w.includes("telegram channel is not supported")))
  assert(warnings.some((w) => w.startsWith("extra: unknown key")))
})

Deno.test("decodeConfig warns when two spellings of a key are both given and keeps the camelCase one", () => {
  const { config, warnings } = ok({ agents: { defaults: { max_tokens: 1, maxTokens: 2 } } })
  assertEquals(config.agents.defaults.maxTokens, 2)
  assertEquals(warnings.length, 1)
  assertStringIncludes(warnings[0]!, "max_tokens")
})

Deno.test("decodeConfig rejects a broken file instead of falling back to defaults", () => {
  const decoded = decodeConfigText(`{"agents": {"defaults": {"model": "x",}}}`)
  assertEquals(decoded._tag, "Invalid")
  if (decoded._tag === "Invalid") assertStringIncludes(decoded.problems[0]!, "not valid JSON")
  const notObject = decodeConfigText(`[1, 2]`)
  assertEquals(notObject._tag, "Invalid")
})

Deno.test("envOverrides turns CLAW_<SECTION>__<KEY> variables into config values over the file", () => {
  const overrides = envOverrides({
    CLAW_HOME: "/ignored",
    CLAW_CHANNELS__WEBSOCKET__PORT: "0",
    CLAW_AGENTS__DEFAULTS__MODEL: "openai/gpt-4o",
    CLAW_AGENTS__DEFAULTS__MAX_TOKENS: "1234",
    OTHER__X: "1",
  })
  const decoded = decodeConfigText(`{"agents": {"defaults": {"model": "from-file", "temperature": 0.5}}}`, overrides)
  if (decoded._tag !== "Ok") throw new Error(decoded.problems.join("\n"))
  assertEquals(decoded.config.channels.websocket.port, 0)
  assertEquals(decoded.config.agents.defaults.model, "openai/gpt-4o")
  assertEquals(decoded.config.agents.defaults.maxTokens, 1234)
  assertEquals(decoded.config.agents.defaults.temperature, 0.5)
  assertEquals(decoded.warnings, [])
})
