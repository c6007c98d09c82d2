/**
 * The real agent (`agentLayer`, exactly as the CLI builds it) in-process on a temp CLAW_HOME, talking to the fake
 * LLM, optionally on a `TestClock` so schedules of hours and days run in milliseconds. Services that run loops (the
 * cron scheduler, the heartbeat) are started with `start` inside a scope the harness closes, so a test can set the
 * clock first. `waitUntil` polls real time for effects of work that runs over real I/O (the LLM's HTTP).
 */
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Scope from "effect/Scope"
import * as TestClock from "effect/testing/TestClock"
import { agentLayer } from "../../src/cli/layers.ts"
import { AppConfig } from "../../src/config/AppConfig.ts"
import { decodeConfigValue } from "../../src/config/decodeConfig.ts"
import { Environment } from "../../src/platform/Environment.ts"
import { fakeLlmConfig } from "./cli.ts"

export interface AgentRuntimeOptions {
  readonly llmUrl: string
  /** Extra config.json sections (merged into the fake-LLM config). */
  readonly config?: Record<string, unknown>
  /** Reuse a home (a "restart"); a fresh temp dir otherwise. */
  readonly home?: string
  readonly testClock?: boolean
}

const servicesLayer = (options: AgentRuntimeOptions, home: string) => {
  const raw = fakeLlmConfig(options.llmUrl, options.config ?? {}) as { agents: { defaults: Record<string, unknown> } }
  raw.agents.defaults.retry = { maxRetries: 0, baseDelayMs: 10, maxDelayMs: 50, requestTimeoutS: 10 }
  const decoded = decodeConfigValue(raw)
  if (decoded._tag !== "Ok") throw new Error(`invalid test config: ${decoded.problems.join("; ")}`)
  const base = Layer.mergeAll(
    AppConfig.layerTest({ home, config: decoded.config }),
    Environment.layerTest({ PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home }, home, home),
    NodeServices.layer,
  )
  const services = agentLayer.pipe(Layer.provideMerge(base))
  return options.testClock === true
    ? services.pipe(Layer.provideMerge(TestClock.layer({ warningDelay: "1 minute" })))
    : services
}

export type AgentServices = Layer.Success<ReturnType<typeof servicesLayer>>

export interface AgentRuntime {
  readonly home: string
  readonly run: <A, E>(effect: Effect.Effect<A, E, AgentServices | Scope.Scope>) => Promise<A>
  /** Builds something scoped (a scheduler) that lives until `dispose`. */
  readonly start: <A, E>(effect: Effect.Effect<A, E, AgentServices | Scope.Scope>) => Promise<A>
  readonly dispose: (options?: { readonly keepHome?: boolean }) => Promise<void>
}

export const makeAgentRuntime = async (options: AgentRuntimeOptions): Promise<AgentRuntime> => {
  const home = options.home ?? await Deno.realPath(await Deno.makeTempDir({ prefix: "claw-agent-" }))
  await Deno.mkdir(`${home}/workspace`, { recursive: true })
  const runtime = ManagedRuntime.make(servicesLayer(options, home))
  const scope = await runtime.runPromise(Scope.make())
  return {
    home,
    run: (effect) => runtime.runPromise(Effect.scoped(effect)),
    start: (effect) => runtime.runPromise(Scope.provide(scope)(effect)),
    dispose: async ({ keepHome = false } = {}) => {
      await runtime.runPromise(Scope.close(scope, Exit.void))
      await runtime.dispose()
      if (!keepHome) await Deno.remove(home, { recursive: true }).catch(() => {})
    },
  }
}

/** Polls `check` (real time) until it holds; fails with `what` after `timeoutMs`. */
export const waitUntil = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
