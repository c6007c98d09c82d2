/**
 * The agent's own overhead per turn against an instant local LLM: the median time of a whole turn through the
 * dispatcher (context, history from SQLite, provider adapter, tools offered, messages stored, outbound published)
 * minus the median time of the same streamed chat completion made directly with the OpenAI SDK to the same
 * server. Everything runs in this process except the fake LLM.
 *
 * Usage: deno run -A scripts/bench/agentTurn.ts [--turns 500]
 */
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import OpenAI from "openai"
import { parseArgs } from "node:util"
import { ask, parseSessionKey } from "../../src/cli/chat.ts"
import { agentLayer } from "../../src/cli/layers.ts"
import { AppConfig } from "../../src/config/AppConfig.ts"
import { Environment } from "../../src/platform/Environment.ts"
import { benchHome, machine, median, percentile, round, startInstantLlm } from "./support.ts"

export const agentTurnBench = async (options: { turns: number }) => {
  const llm = await startInstantLlm()
  const home = await benchHome(llm.url)
  Deno.env.set("CLAW_HOME", home.home)
  try {
    const client = new OpenAI({ apiKey: "bench", baseURL: llm.url, maxRetries: 0 })
    const direct: Array<number> = []
    for (let i = 0; i < options.turns; i++) {
      const started = performance.now()
      const stream = await client.chat.completions.create({
        model: "bench-model",
        messages: [{ role: "user", content: `hello ${i}` }],
        stream: true,
        stream_options: { include_usage: true },
      })
      for await (const _ of stream) { /* drain */ }
      direct.push(performance.now() - started)
    }

    const layer = agentLayer.pipe(
      Layer.provideMerge(AppConfig.layer(home.configPath)),
      Layer.provideMerge(Environment.layer),
      Layer.provideMerge(NodeServices.layer),
    )
    const turns = await Effect.runPromise(
      Effect.gen(function* () {
        const times: Array<number> = []
        for (let i = 0; i < options.turns; i++) {
          const session = parseSessionKey(`bench:s${i % 20}`)
          const started = performance.now()
          const reply = yield* ask(session, `hello ${i}`, () => Effect.void)
          if (reply.kind !== "reply") throw new Error(`turn failed: ${reply.content}`)
          times.push(performance.now() - started)
        }
        return times
      }).pipe(Effect.provide(layer), Effect.scoped),
    )

    const sortedTurns = [...turns].sort((a, b) => a - b)
    return {
      machine: machine(),
      command: `deno run -A scripts/bench/agentTurn.ts --turns ${options.turns}`,
      turns: options.turns,
      turnMs: { p50: round(median(turns), 3), p95: round(percentile(sortedTurns, 95), 3) },
      directLlmCallMs: { p50: round(median(direct), 3) },
      agentOverheadMs: round(median(turns) - median(direct), 3),
    }
  } finally {
    await llm.stop()
    await home.cleanup()
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { turns: { type: "string", default: "500" } } })
  console.log(JSON.stringify(await agentTurnBench({ turns: Number(values.turns) }), null, 2))
}
