/**
 * How the services are put together for the commands that need them. Adapters are chosen here, at startup:
 * the SQLite session store, the OpenAI-compatible provider, the built-in tools.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import { AgentLoop } from "../agent/AgentLoop.ts"
import { ContextBuilder } from "../agent/ContextBuilder.ts"
import { MemoryConsolidator } from "../agent/memory/MemoryConsolidator.ts"
import { SkillsLoader } from "../agent/skills/SkillsLoader.ts"
import { SkillsPrompt } from "../agent/SkillsPrompt.ts"
import { SubagentManager } from "../agent/subagents/SubagentManager.ts"
import { builtinTools } from "../agent/tools/builtinTools.ts"
import { McpManager } from "../agent/tools/mcp/McpManager.ts"
import { ToolRegistry } from "../agent/tools/ToolRegistry.ts"
import { ToolSandbox } from "../agent/tools/ToolSandbox.ts"
import { TurnDispatcher } from "../agent/TurnDispatcher.ts"
import { UsageMeter } from "../agent/usage/UsageMeter.ts"
import { Workspace } from "../agent/Workspace.ts"
import { MessageBus } from "../bus/MessageBus.ts"
import { OpenAiCompatibleProvider } from "../providers/OpenAiCompatibleProvider.ts"
import { SqliteSessionStore } from "../sessions/SqliteSessionStore.ts"
import { UsageStore } from "../sessions/UsageStore.ts"
import { ChannelStatusBoard } from "../channels/ChannelStatusBoard.ts"
import { ChannelSupervisor } from "../channels/ChannelSupervisor.ts"
import { EnabledChannels } from "../channels/EnabledChannels.ts"
import { CronScheduler } from "../cron/CronScheduler.ts"
import { CronStore } from "../cron/CronStore.ts"
import { CronToolLayer } from "../cron/CronTool.ts"
import { Heartbeat } from "../heartbeat/Heartbeat.ts"
import { LastChat } from "../heartbeat/LastChat.ts"
import { permissionPreflight } from "../security/permissions/preflight.ts"
import { Database } from "../storage/Database.ts"
import { StateStore } from "../storage/StateStore.ts"

export const storageLayer = Layer.mergeAll(
  SqliteSessionStore.layer,
  StateStore.layer,
  UsageStore.layer,
  CronStore.layer,
).pipe(
  Layer.provideMerge(Database.layer),
)

export const toolsLayer = Layer.effect(ToolRegistry, builtinTools.pipe(Effect.flatMap(ToolRegistry.make))).pipe(
  Layer.provide(Layer.mergeAll(FetchHttpClient.layer, ToolSandbox.layer)),
)

/** Tools added to the registry at startup: the MCP servers' (kept connected while the layer lives) and cron. */
export const extraToolsLayer = Layer.mergeAll(McpManager.layer, CronToolLayer)

/** Everything an agent turn needs, from the bus down to the session store. */
export const agentLayer = TurnDispatcher.layer.pipe(
  Layer.provideMerge(extraToolsLayer),
  Layer.provideMerge(SubagentManager.layer),
  Layer.provideMerge(AgentLoop.layer),
  Layer.provideMerge(Layer.mergeAll(ContextBuilder.layer, toolsLayer, MemoryConsolidator.layer)),
  Layer.provideMerge(Layer.mergeAll(SkillsPrompt.layer, UsageMeter.layer)),
  Layer.provideMerge(SkillsLoader.layer),
  Layer.provideMerge(Layer.mergeAll(Workspace.layer, OpenAiCompatibleProvider.layer, MessageBus.layer)),
  Layer.provideMerge(storageLayer),
  Layer.provideMerge(permissionPreflight),
)

/** The agent plus the channels, then the cron scheduler and heartbeat: what `claw gateway` runs. */
export const gatewayLayer = Layer.mergeAll(CronScheduler.layer, Heartbeat.layer).pipe(
  Layer.provideMerge(LastChat.layer),
  Layer.provideMerge(ChannelSupervisor.layer),
  Layer.provideMerge(Layer.mergeAll(EnabledChannels.layer, ChannelStatusBoard.layer)),
  Layer.provideMerge(agentLayer),
)
