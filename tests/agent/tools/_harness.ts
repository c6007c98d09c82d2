/**
 * A temporary home + workspace with the built-in tools assembled exactly as the app does (`builtinTools` into
 * `ToolRegistry.make`), on the real file system, process spawner and fetch client. `call` sends raw JSON arguments
 * through the registry, so argument decoding and error rendering are part of every test. Tools run in-process and
 * exec unconfined unless `sandbox` says otherwise (the sandbox has its own tests).
 */
import assert from "node:assert/strict"
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Exit from "effect/Exit"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Scope from "effect/Scope"
import { builtinTools } from "../../../src/agent/tools/builtinTools.ts"
import type { Tool, ToolContext } from "../../../src/agent/tools/Tool.ts"
import { ToolRegistry } from "../../../src/agent/tools/ToolRegistry.ts"
import { ToolSandbox } from "../../../src/agent/tools/ToolSandbox.ts"
import { MessageBus } from "../../../src/bus/MessageBus.ts"
import { AppConfig } from "../../../src/config/AppConfig.ts"
import { decodeConfigValue } from "../../../src/config/decodeConfig.ts"
import { Environment } from "../../../src/platform/Environment.ts"

export interface HarnessOptions {
  /** The `tools` section of config.json, as a user would write it (unrestricted unless it says otherwise). */
  readonly tools?: Record<string, unknown>
  /** Environment variables the Environment service reports (PATH is added). */
  readonly env?: Record<string, string>
  /** `detect`: decide like the app does (worker sandbox, exec wrapper probed); default: in-process, unconfined. */
  readonly sandbox?: "detect" | "in-process"
  /** Use these tools instead of `builtinTools`. */
  readonly only?: (runtime: ManagedRuntime.ManagedRuntime<Services, never>) => Promise<ReadonlyArray<Tool>>
}

type Services = Layer.Success<ReturnType<typeof servicesLayer>>

const servicesLayer = (home: string, workspace: string, options: HarnessOptions) => {
  const decoded = decodeConfigValue({ tools: { restrictToWorkspace: false, ...options.tools } })
  if (decoded._tag !== "Ok") throw new Error(`invalid test config: ${decoded.problems.join("; ")}`)
  const env = { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", ...options.env }
  const base = Layer.mergeAll(
    AppConfig.layerTest({ home, workspace, config: decoded.config }),
    Environment.layerTest(env, home, home),
    MessageBus.layer,
    FetchHttpClient.layer,
    NodeServices.layer,
  )
  const sandbox = options.sandbox === "detect" ? ToolSandbox.layer : ToolSandbox.make({
    files: "in-process",
    execWrapper: undefined,
    execPlan: { workspace, restricted: decoded.config.tools.restrictToWorkspace, hideDirs: [], hideFiles: [] },
  }, true)
  return Layer.provideMerge(sandbox, base)
}

export const context = (overrides: Partial<ToolContext> = {}): ToolContext => ({
  channel: "cli",
  chatId: "direct",
  sessionKey: "cli:direct",
  messageId: "in-1",
  delivered: new Set<string>(),
  ...overrides,
})

export interface Harness {
  readonly home: string
  readonly workspace: string
  readonly runtime: ManagedRuntime.ManagedRuntime<Services, never>
  readonly registry: ToolRegistry["Service"]
  /** Calls a tool with `args` (an object is sent as JSON, a string as is). */
  readonly call: (name: string, args: unknown, ctx?: ToolContext) => Promise<string>
  readonly dispose: () => Promise<void>
}

export const makeHarness = async (options: HarnessOptions = {}): Promise<Harness> => {
  const home = await Deno.realPath(await Deno.makeTempDir({ prefix: "claw-tools-" }))
  const workspace = `${home}/workspace`
  await Deno.mkdir(workspace)
  const runtime = ManagedRuntime.make(servicesLayer(home, workspace, options))
  const scope = await runtime.runPromise(Scope.make())
  const tools = options.only === undefined
    ? await runtime.runPromise(Scope.provide(builtinTools, scope))
    : await options.only(runtime)
  const registry = await runtime.runPromise(ToolRegistry.make(tools))
  const call = (name: string, args: unknown, ctx = context()) =>
    runtime.runPromise(
      registry.execute({ id: "call-1", name, arguments: typeof args === "string" ? args : JSON.stringify(args) }, ctx),
    )
  const dispose = async () => {
    await runtime.runPromise(Scope.close(scope, Exit.void))
    await runtime.dispose()
    await Deno.remove(home, { recursive: true })
  }
  return { home, workspace, runtime, registry, call, dispose }
}

/** Runs `body` with a fresh harness and always cleans up. */
export const withHarness = (options: HarnessOptions, body: (h: Harness) => Promise<void>) => async () => {
  const harness = await makeHarness(options)
  try {
    await body(harness)
  } finally {
    await harness.dispose()
  }
}

export const isError = (result: string) => result.startsWith("Error: ")

export const runEffect = <A, E>(harness: Harness, effect: Effect.Effect<A, E, Services>) =>
  harness.runtime.runPromise(effect)

export const assertIncludes = (actual: string, expected: string) =>
  assert.ok(actual.includes(expected), `expected ${JSON.stringify(actual)} to include ${JSON.stringify(expected)}`)

export const assertExcludes = (actual: string, unexpected: string) =>
  assert.ok(
    !actual.includes(unexpected),
    `expected ${JSON.stringify(actual)} not to include ${JSON.stringify(unexpected)}`,
  )

export { assert }
