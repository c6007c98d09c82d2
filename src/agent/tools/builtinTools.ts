/**
 * The built-in tools enabled by the configuration, ready for `ToolRegistry.make`:
 * `Layer.effect(ToolRegistry, builtinTools.pipe(Effect.flatMap(ToolRegistry.make)))` (the layer's scope owns the
 * sandbox worker). File tools share one workspace path policy; exec is left out when `isExecEnabled` says so.
 * With the `worker` sandbox (the default), the file and web tools keep their names, descriptions and parameters
 * but execute in the tool worker, whose permissions are narrowed to the workspace (plus read access to claw's own
 * modules, which the worker must load) when `tools.restrictToWorkspace` is set; a worker that cannot start is
 * logged once and every call says why.
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import type * as HttpClient from "effect/http/HttpClient"
import type * as Path from "effect/Path"
import type * as ChildProcessSpawner from "effect/process/ChildProcessSpawner"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type { MessageBus } from "../../bus/MessageBus.ts"
import { AppConfig } from "../../config/AppConfig.ts"
import { ToolsConfig } from "../../config/ConfigSchema.ts"
import { Environment } from "../../platform/Environment.ts"
import { APP_PATHS, appReadPaths } from "../../security/permissions/appPaths.ts"
import { editFileTool } from "./EditFileTool.ts"
import { execTool, isExecEnabled } from "./ExecTool.ts"
import { startToolWorker, type WorkerPermissions } from "./internal/workerHost.ts"
import { SANDBOXED_TOOLS, type WorkerInit } from "./internal/workerProtocol.ts"
import { listDirTool } from "./ListDirTool.ts"
import { messageTool } from "./MessageTool.ts"
import { readFileTool } from "./ReadFileTool.ts"
import type { Tool } from "./Tool.ts"
import { ToolSandbox } from "./ToolSandbox.ts"
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
  | ToolSandbox

/** What the worker is told: no provider keys, no channel tokens, no exec or MCP settings. */
const workerInit = Effect.gen(function* () {
  const app = yield* AppConfig
  const env = yield* Environment
  const fs = yield* FileSystem.FileSystem
  const { exec: _exec, mcpServers: _mcp, ...tools } = Schema.encodeSync(ToolsConfig)(app.config.tools)
  const configured = app.config.tools.web.search.apiKey
  const braveApiKey = configured === undefined ? env.get("BRAVE_API_KEY") : Redacted.value(configured)
  const workspace = yield* fs.realPath(app.workspace).pipe(Effect.orElseSucceed(() => app.workspace))
  const init: WorkerInit = {
    _tag: "Init",
    workspace: app.workspace,
    homeDir: env.homeDir,
    os: env.os,
    arch: env.arch,
    configPath: app.path,
    tools,
    ...(braveApiKey === undefined || braveApiKey === "" ? {} : { braveApiKey }),
  }
  const roots = [...new Set([app.workspace, workspace])]
  const nodeModules = yield* fs.exists(APP_PATHS.nodeModules).pipe(Effect.orElseSucceed(() => false))
  const permissions: WorkerPermissions = app.config.tools.restrictToWorkspace
    ? { read: [...roots, ...appReadPaths(nodeModules)], write: roots, net: "inherit" }
    : { read: "inherit", write: "inherit", net: "inherit" }
  return { init, permissions }
})

const inWorker = (tools: ReadonlyArray<Tool>) =>
  Effect.gen(function* () {
    const { init, permissions } = yield* workerInit
    yield* FileSystem.FileSystem.pipe(
      Effect.flatMap((fs) => fs.makeDirectory(init.workspace, { recursive: true })),
      Effect.ignore,
    )
    const worker = yield* startToolWorker(init, permissions)
    const sandboxed = new Set<string>(SANDBOXED_TOOLS)
    return tools.map((tool): Tool =>
      sandboxed.has(tool.name) ? { ...tool, execute: (args) => worker.call(tool.name, args) } : tool
    )
  })

export const builtinTools: Effect.Effect<ReadonlyArray<Tool>, never, BuiltinToolServices | Scope.Scope> = Effect.gen(
  function* () {
    const { config } = yield* AppConfig
    const sandbox = yield* ToolSandbox
    const paths = yield* makeWorkspacePaths
    const files: Array<Tool> = [
      yield* readFileTool(paths),
      yield* writeFileTool(paths),
      yield* editFileTool(paths),
      yield* listDirTool(paths),
    ]
    const web = [yield* webSearchTool, yield* webFetchTool]
    const confined = sandbox.files === "worker" ? yield* inWorker([...files, ...web]) : [...files, ...web]
    const tools = confined.slice(0, files.length)
    if (isExecEnabled(config.tools)) tools.push(yield* execTool(paths))
    tools.push(...confined.slice(files.length), yield* messageTool(paths))
    return tools
  },
)
