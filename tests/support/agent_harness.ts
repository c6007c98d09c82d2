/**
 * The agent as the app assembles it (`agentLayer`: dispatcher, loop, memory, skills, subagents, usage, SQLite store,
 * OpenAI-compatible provider) in this process, in a temp CLAW_HOME, talking to the local fake LLM over HTTP.
 * The dispatcher also takes messages off the bus (as the gateway does), and every outbound message is collected, so
 * tests see what a channel would deliver.
 */
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as PubSub from "effect/PubSub"
import { TestClock } from "effect/testing"
import { TurnDispatcher } from "../../src/agent/TurnDispatcher.ts"
import { MessageBus } from "../../src/bus/MessageBus.ts"
import type { OutboundMessage } from "../../src/bus/Messages.ts"
import { ask, parseSessionKey } from "../../src/cli/chat.ts"
import { agentLayer } from "../../src/cli/layers.ts"
import { AppConfig } from "../../src/config/AppConfig.ts"
import { decodeConfigValue } from "../../src/config/decodeConfig.ts"
import { Environment } from "../../src/platform/Environment.ts"
import { fakeLlmConfig } from "./cli.ts"
import { type FakeLlm, startFakeLlm } from "./fake_llm.ts"

export interface AgentHarnessOptions {
  /** Extra `agents.defaults` keys, as a user would write them. */
  readonly defaults?: Record<string, unknown>
  /** Environment variables the Environment service reports (PATH is added unless given). */
  readonly env?: Record<string, string>
  /** Run on a `TestClock` starting at this epoch millisecond. */
  readonly testClockAt?: number
}

const makeLayer = (home: string, llm: FakeLlm, options: AgentHarnessOptions) => {
  const decoded = decodeConfigValue(
    fakeLlmConfig(llm.url, { agents: { defaults: { timezone: "UTC", ...options.defaults } } }),
  )
  if (decoded._tag !== "Ok") throw new Error(`invalid test config: ${decoded.problems.join("; ")}`)
  const env = { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", ...options.env }
  const base = Layer.mergeAll(
    AppConfig.layerTest({ home, workspace: `${home}/workspace`, config: decoded.config }),
    Environment.layerTest(env, home, home),
    NodeServices.layer,
    options.testClockAt === undefined ? Layer.empty : TestClock.layer(),
  )
  return agentLayer.pipe(Layer.provideMerge(base))
}

type Services = Layer.Success<ReturnType<typeof makeLayer>>

export interface AgentHarness {
  readonly home: string
  readonly workspace: string
  readonly llm: FakeLlm
  readonly runtime: ManagedRuntime.ManagedRuntime<Services, unknown>
  readonly run: <A, E>(effect: Effect.Effect<A, E, Services>) => Promise<A>
  /** Every outbound message so far (replies, errors, pushes; deltas left out). */
  readonly outbound: Array<OutboundMessage>
  /** Sends `content` to `sessionKey` as a channel would and resolves with the turn's reply or error. */
  readonly ask: (content: string, sessionKey?: string) => Promise<OutboundMessage>
  /** A gate to hold fake LLM answers with; `dispose` opens every gate left closed, so the fake server can stop. */
  readonly gate: () => Gate
  readonly dispose: () => Promise<void>
}

export const makeAgentHarness = async (options: AgentHarnessOptions = {}): Promise<AgentHarness> => {
  const home = await Deno.realPath(await Deno.makeTempDir({ prefix: "claw-agent-" }))
  await Deno.mkdir(`${home}/workspace/memory`, { recursive: true })
  const llm = await startFakeLlm()
  const runtime = ManagedRuntime.make(makeLayer(home, llm, options))
  await runtime.context().catch(async (error) => {
    await llm.close()
    await Deno.remove(home, { recursive: true }).catch(() => {})
    throw error
  })
  const outbound: Array<OutboundMessage> = []
  const gates: Array<Gate> = []
  const subscribed = Promise.withResolvers<void>()
  if (options.testClockAt !== undefined) await runtime.runPromise(TestClock.setTime(options.testClockAt))
  runtime.runFork(Effect.scoped(Effect.gen(function* () {
    const bus = yield* MessageBus
    const subscription = yield* bus.subscribeOutbound
    subscribed.resolve()
    while (true) {
      const message = yield* PubSub.take(subscription)
      if (message.kind !== "delta") outbound.push(message)
    }
  })))
  await subscribed.promise
  runtime.runFork(Effect.gen(function* () {
    const dispatcher = yield* TurnDispatcher
    return yield* dispatcher.run
  }))
  return {
    home,
    workspace: `${home}/workspace`,
    llm,
    runtime,
    outbound,
    run: (effect) => runtime.runPromise(effect),
    ask: (content, sessionKey = "test:chat") =>
      runtime.runPromise(ask(parseSessionKey(sessionKey), content, () => Effect.void)),
    gate: () => {
      const created = gate()
      gates.push(created)
      return created
    },
    dispose: async () => {
      for (const held of gates) held.open()
      await runtime.dispose()
      await llm.close()
      await Deno.remove(home, { recursive: true }).catch(() => {})
    },
  }
}

/** Polls `check` every 10 ms until it returns something other than undefined/false, or fails after `timeoutMs`. */
export const eventually = async <A>(
  check: () => A | undefined | false | Promise<A | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<A> => {
  const deadline = Date.now() + timeoutMs
  while (true) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

export interface Gate {
  readonly wait: Promise<void>
  readonly open: () => void
}

/** A promise the test resolves by hand, to hold a fake LLM answer until the test is ready. */
export const gate = (): Gate => {
  const { promise, resolve } = Promise.withResolvers<void>()
  return { wait: promise, open: () => resolve() }
}
