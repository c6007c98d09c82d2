/**
 * The built-in tools enabled by the configuration, ready for `ToolRegistry.make`:
 * `Layer.effect(ToolRegistry, builtinTools.pipe(Effect.flatMap(ToolRegistry.make)))`.
 * File tools share one workspace path policy; exec is left out when `isExecEnabled` says so.
 */
import * as Effect from "effect/Effect"
import type * as FileSystem from "effect/FileSystem"
import type * as HttpClient from "effect/http/HttpClient"
import type * as Path from "effect/Path"
import type * as ChildProcessSpawner from "effect/process/ChildProcessSpawner"
import type { MessageBus } from "../../bus/MessageBus.ts"
import { AppConfig } from "../../config/AppConfig.ts"
import type { Environment } from "../../platform/Environment.ts"
import { editFileTool } from "./EditFileTool.ts"
import { execTool, isExecEnabled } from "./ExecTool.ts"
import { listDirTool } from "./ListDirTool.ts"
import { messageTool } from "./MessageTool.ts"
import { readFileTool } from "./ReadFileTool.ts"
import type { Tool } from "./Tool.ts"
import { webFetchTool } from "./WebFetchTool.ts"
import { webSearchTool } from "./WebSearchTool.ts"
import { makeWorkspacePaths } from "./workspacePath.ts"
import { writeFileTool } from "./WriteFileTool.ts"

export type BuiltinToolServices =
  | AppConfig
  | Environment
  | FileSystem.FileSystem
  | Path.Path
  | ChildProcessSpawner.ChildProcessSpawner
  | HttpClient.HttpClient
  | MessageBus

export const builtinTools: Effect.Effect<ReadonlyArray<Tool>, never, BuiltinToolServices> = Effect.gen(function* () {
  const { config } = yield* AppConfig
  const paths = yield* makeWorkspacePaths
  const tools: Array<Tool> = [
    yield* readFileTool(paths),
    yield* writeFileTool(paths),
    yield* editFileTool(paths),
    yield* listDirTool(paths),
  ]
  if (isExecEnabled(config.tools)) tools.push(yield* execTool(paths))
  tools.push(yield* webSearchTool, yield* webFetchTool, yield* messageTool(paths))
  return tools
})
