/**
 * The tool sandbox: a Deno Worker that runs the file and web tools with permissions narrowed by the gateway
 * (`workerHost.ts`) — read/write only the workspace when `tools.restrictToWorkspace` is set, no environment, no
 * subprocesses, no FFI. It builds the same tool implementations the gateway would use in-process, so behaviour is
 * identical; only what the runtime lets them touch differs. Calls run concurrently, each cancellable.
 */
/// <reference lib="deno.worker" />
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberMap from "effect/FiberMap"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Queue from "effect/Queue"
import * as Schema from "effect/Schema"
import { AppConfig } from "../../../config/AppConfig.ts"
import { decodeConfigValue } from "../../../config/decodeConfig.ts"
import { Environment } from "../../../platform/Environment.ts"
import { editFileTool } from "../EditFileTool.ts"
import { listDirTool } from "../ListDirTool.ts"
import { readFileTool } from "../ReadFileTool.ts"
import type { Tool, ToolContext } from "../Tool.ts"
import { webFetchTool } from "../WebFetchTool.ts"
import { webSearchTool } from "../WebSearchTool.ts"
import { makeWorkspacePaths } from "../workspacePath.ts"
import { writeFileTool } from "../WriteFileTool.ts"
import { type FromWorker, ToWorker, type WorkerInit } from "./workerProtocol.ts"

const post = (message: FromWorker) => Effect.sync(() => self.postMessage(message))

const decodeMessage = Schema.decodeUnknownExit(ToWorker)

const NO_CONTEXT: ToolContext = { channel: "sandbox", chatId: "sandbox", sessionKey: "sandbox", delivered: new Set() }

const servicesFor = (init: WorkerInit) => {
  const decoded = decodeConfigValue({ tools: init.tools })
  if (decoded._tag === "Invalid") return Effect.fail(decoded.problems.join("; "))
  const vars: Record<string, string> = init.braveApiKey === undefined ? {} : { BRAVE_API_KEY: init.braveApiKey }
  return Effect.succeed(Layer.mergeAll(
    Layer.succeed(
      AppConfig,
      AppConfig.of({
        config: decoded.config,
        path: init.configPath,
        fileExists: true,
        home: init.workspace,
        workspace: init.workspace,
        databasePath: "",
        warnings: [],
      }),
    ),
    Layer.succeed(
      Environment,
      Environment.of({
        get: (name) => vars[name],
        all: () => vars,
        homeDir: init.homeDir,
        cwd: init.workspace,
        os: init.os,
        arch: init.arch,
        timeZone: "UTC",
        runtime: "Deno worker",
        stdoutIsTerminal: false,
        pid: 0,
      }),
    ),
    NodeFileSystem.layer,
    NodePath.layer,
    FetchHttpClient.layer,
  ))
}

const buildTools = Effect.gen(function* () {
  const paths = yield* makeWorkspacePaths
  const tools: ReadonlyArray<Tool> = [
    yield* readFileTool(paths),
    yield* writeFileTool(paths),
    yield* editFileTool(paths),
    yield* listDirTool(paths),
    yield* webSearchTool,
    yield* webFetchTool,
  ]
  return new Map(tools.map((tool) => [tool.name, tool]))
})

const describeFailure = (cause: Cause.Cause<unknown>) => {
  const failure = Cause.squash(cause)
  return failure instanceof Error ? failure.message : String(failure)
}

const serve = Effect.gen(function* () {
  const inbox = yield* Queue.unbounded<unknown>()
  self.onmessage = (event: MessageEvent) => void Queue.offerUnsafe(inbox, event.data)
  const first = decodeMessage(yield* Queue.take(inbox))
  if (Exit.isFailure(first) || first.value._tag !== "Init") {
    return yield* post({ _tag: "InitFailed", message: "the first message was not Init" })
  }
  const layer = yield* servicesFor(first.value).pipe(Effect.option)
  if (layer._tag === "None") return yield* post({ _tag: "InitFailed", message: "invalid tools config" })
  const tools = yield* buildTools.pipe(Effect.provide(layer.value))
  const running = yield* FiberMap.make<number>()
  yield* post({ _tag: "Ready" })
  while (true) {
    const message = decodeMessage(yield* Queue.take(inbox))
    if (Exit.isFailure(message)) continue
    const request = message.value
    if (request._tag === "Cancel") {
      yield* FiberMap.remove(running, request.id)
      continue
    }
    if (request._tag !== "Call") continue
    const tool = tools.get(request.name)
    if (tool === undefined) {
      yield* post({ _tag: "Result", id: request.id, ok: false, text: `${request.name} does not run in the sandbox` })
      continue
    }
    yield* FiberMap.run(
      running,
      request.id,
      tool.execute(request.args, NO_CONTEXT).pipe(
        Effect.exit,
        Effect.flatMap((exit) =>
          Exit.isSuccess(exit)
            ? post({ _tag: "Result", id: request.id, ok: true, text: exit.value })
            : Cause.hasInterruptsOnly(exit.cause)
            ? Effect.void
            : post({ _tag: "Result", id: request.id, ok: false, text: describeFailure(exit.cause) })
        ),
      ),
    )
  }
})

Effect.runFork(Effect.scoped(serve))
