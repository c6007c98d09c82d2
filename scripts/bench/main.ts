/**
 * `deno task bench`: every benchmark in turn, one JSON report. Pass `--quick` for a short smoke run.
 */
import { agentTurnBench } from "./agentTurn.ts"
import { coldStartBench } from "./coldStart.ts"
import { websocketBench } from "./websocket.ts"

const quick = Deno.args.includes("--quick")
const report = {
  coldStart: await coldStartBench({ runs: quick ? 3 : 20 }),
  agentTurn: await agentTurnBench({ turns: quick ? 50 : 500 }),
  websocket: await websocketBench(
    quick ? { clients: 5, messages: 5, idle: 100 } : { clients: 50, messages: 200, idle: 10_000 },
  ),
}
console.log(JSON.stringify(report, null, 2))
