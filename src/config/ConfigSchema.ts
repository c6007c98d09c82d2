/**
 * The shape of `config.json`, in nanobot's layout (agents.defaults, providers, channels, tools, gateway).
 * Every field has a default, so `{}` (or no file at all) is a complete configuration. Keys are camelCase here;
 * `normalize.ts` maps snake_case and kebab-case spellings onto them before decoding.
 */
import * as Schema from "effect/Schema"
import { ChannelsConfig } from "../channels/ChannelsConfig.ts"
import { ProvidersConfig } from "../providers/ProviderRegistry.ts"
import { NonNegativeInt, optional, PositiveInt, Secret, StringList, StringMap, withDefault } from "./fields.ts"

export const RetryConfig = Schema.Struct({
  maxRetries: withDefault(NonNegativeInt, 4, "Retries of a transient LLM failure (429, 5xx, timeout, reset)"),
  baseDelayMs: withDefault(PositiveInt, 1000, "First retry delay; doubles each time, with jitter"),
  maxDelayMs: withDefault(PositiveInt, 30_000, "Cap of a single retry delay (a longer Retry-After is honoured)"),
  requestTimeoutS: withDefault(PositiveInt, 120, "Seconds before an LLM request counts as timed out"),
})

export const AgentDefaults = Schema.Struct({
  workspace: optional(Schema.String, "Agent workspace directory (default: $CLAW_HOME/workspace)"),
  model: withDefault(Schema.String, "anthropic/claude-opus-4-5", "Model name, optionally prefixed by its provider"),
  provider: withDefault(Schema.String, "auto", 'Provider name, or "auto" to pick one from the model name'),
  maxTokens: withDefault(PositiveInt, 8192),
  temperature: withDefault(Schema.Finite.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 2 }))), 0.1),
  maxToolIterations: withDefault(PositiveInt, 40, "Model/tool rounds per turn before the agent gives up"),
  memoryWindow: withDefault(PositiveInt, 100, "Unconsolidated messages kept in the prompt"),
  reasoningEffort: optional(Schema.Literals(["minimal", "low", "medium", "high"])),
  maxConcurrentTurns: withDefault(PositiveInt, 32, "Turns running at once across all sessions"),
  timezone: optional(Schema.String, "IANA time zone for the runtime context (default: the system's)"),
  memoryTokenBudget: withDefault(
    NonNegativeInt,
    40_000,
    "Estimated tokens of unconsolidated messages that also trigger memory consolidation (0: messages only)",
  ),
  maxSubagents: withDefault(PositiveInt, 4, "Background subagents (spawn) running at once across all sessions"),
  subagentMaxIterations: withDefault(PositiveInt, 15, "Model/tool rounds a subagent may take"),
  dailyTokenBudget: withDefault(
    NonNegativeInt,
    0,
    "Tokens per day across all sessions before new turns stop (0: no limit)",
  ),
  sessionDailyTokenBudget: withDefault(
    NonNegativeInt,
    0,
    "Tokens per day per session before its new turns stop (0: no limit)",
  ),
  retry: withDefault(RetryConfig, {}),
})

export const AgentsConfig = Schema.Struct({
  defaults: withDefault(AgentDefaults, {}),
})

export const ExecToolConfig = Schema.Struct({
  enabled: optional(Schema.Boolean, "Default: true, or false when tools.restrictToWorkspace is true"),
  timeout: withDefault(PositiveInt, 60, "Seconds before a command is killed"),
  allowedCommands: withDefault(StringList, [], "Programs exec may start (empty: any)"),
})

export const WebSearchConfig = Schema.Struct({
  apiKey: optional(Secret, "Brave Search API key (or BRAVE_API_KEY)"),
  apiBase: withDefault(Schema.String, "https://api.search.brave.com/res/v1/web/search"),
  maxResults: withDefault(PositiveInt.pipe(Schema.check(Schema.isLessThanOrEqualTo(10))), 5),
})

export const WebFetchConfig = Schema.Struct({
  allowPrivateNetwork: withDefault(Schema.Boolean, false, "Allow web_fetch to reach loopback and private addresses"),
  maxChars: withDefault(PositiveInt, 50_000),
})

export const McpServerConfig = Schema.Struct({
  command: optional(Schema.String),
  args: withDefault(StringList, []),
  env: withDefault(StringMap, {}),
  url: optional(Schema.String),
  headers: withDefault(StringMap, {}),
  timeout: withDefault(PositiveInt, 30, "Seconds per tool call"),
})

export const ToolsConfig = Schema.Struct({
  restrictToWorkspace: withDefault(
    Schema.Boolean,
    true,
    "Confine every tool to the workspace (false: tools may use whatever the gateway may, as in nanobot)",
  ),
  exec: withDefault(ExecToolConfig, {}),
  web: withDefault(
    Schema.Struct({ search: withDefault(WebSearchConfig, {}), fetch: withDefault(WebFetchConfig, {}) }),
    {},
  ),
  mcpServers: withDefault(Schema.Record(Schema.String, McpServerConfig), {}),
})

export const HeartbeatConfig = Schema.Struct({
  enabled: withDefault(Schema.Boolean, true),
  intervalS: withDefault(PositiveInt, 1800),
})

export const CronConfig = Schema.Struct({
  runMissedOnStart: withDefault(
    Schema.Boolean,
    false,
    "Run once on start each job that came due while the gateway was down (a job's own runMissed wins)",
  ),
})

export const GatewayConfig = Schema.Struct({
  host: withDefault(Schema.String, "127.0.0.1"),
  port: withDefault(NonNegativeInt, 18790),
  heartbeat: withDefault(HeartbeatConfig, {}),
  cron: withDefault(CronConfig, {}),
  adminToken: optional(Secret, "Token for the gateway's loopback admin endpoint (generated when absent)"),
})

export const ClawConfig = Schema.Struct({
  agents: withDefault(AgentsConfig, {}),
  providers: withDefault(ProvidersConfig, {}),
  channels: withDefault(ChannelsConfig, {}),
  tools: withDefault(ToolsConfig, {}),
  gateway: withDefault(GatewayConfig, {}),
})

export type ClawConfig = typeof ClawConfig.Type
export type AgentDefaults = typeof AgentDefaults.Type
export type ToolsConfig = typeof ToolsConfig.Type
