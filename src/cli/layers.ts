/**
 * How the services are put together for the commands that need them. Adapters are chosen here, at startup:
 * the SQLite session store, the OpenAI-compatible provider, the built-in tools.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import { AgentLoop } from "../agent/AgentLoop.ts"
import { ContextBuilder } from "../agent/ContextBuilder.ts"
import { SkillsPrompt } from "../agent/SkillsPrompt.ts"
import { builtinTools } from "../agent/tools/builtinTools.ts"
import { ToolRegistry } from "../agent/tools/ToolRegistry.ts"
import { TurnDispatcher } from "../agent/TurnDispatcher.ts"
import { Workspace } from "../agent/Workspace.ts"
import { MessageBus } from "../bus/MessageBus.ts"
import { OpenAiCompatibleProvider } from "../providers/OpenAiCompatibleProvider.ts"
import { SqliteSessionStore } from "../sessions/SqliteSessionStore.ts"
import { ChannelStatusBoard } from "../channels/ChannelStatusBoard.ts"
import { ChannelSupervisor } from "../channels/ChannelSupervisor.ts"
import { EnabledChannels } from "../channels/EnabledChannels.ts"
import { Database } from "../storage/Database.ts"
import { StateStore } from "../storage/StateStore.ts"

export const storageLayer = Layer.mergeAll(SqliteSessionStore.layer, StateStore.layer).pipe(
  Layer.provideMerge(Database.layer),
)

export const toolsLayer = Layer.effect(ToolRegistry, builtinTools.pipe(Effect.flatMap(ToolRegistry.make))).pipe(
  Layer.provide(FetchHttpClient.layer),
)

/** Everything an agent turn needs, from the bus down to the session store. */
export const agentLayer = TurnDispatcher.layer.pipe(
  Layer.provideMerge(AgentLoop.layer),
  Layer.provideMerge(Layer.mergeAll(ContextBuilder.layer, toolsLayer)),
  Layer.provideMerge(
    Layer.mergeAll(Workspace.layer, SkillsPrompt.layerEmpty, OpenAiCompatibleProvider.layer, MessageBus.layer),
  ),
  Layer.provideMerge(storageLayer),
)

/** The agent plus the channels: what `claw gateway` runs. */
export const gatewayLayer = ChannelSupervisor.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(EnabledChannels.layer, ChannelStatusBoard.layer)),
  Layer.provideMerge(agentLayer),
)
