/**
 * Cold start of the CLI: wall time of `deno run <flags> main.ts --version` as a fresh process, with a warm Deno
 * cache (two unmeasured runs first). Reports median, min and p90 over `--runs` runs.
 *
 * Usage: deno run -A scripts/bench/coldStart.ts [--runs 20]
 */
import { parseArgs } from "node:util"
import { machine, MAIN, median, percentile, round } from "./support.ts"

const runOnce = async (args: ReadonlyArray<string>) => {
  const started = performance.now()
  const output = await new Deno.Command(Deno.execPath(), { args: [...args], stdout: "null", stderr: "null" }).output()
  if (output.code !== 0) throw new Error(`${args.join(" ")} exited with ${output.code}`)
  return performance.now() - started
}

export const coldStartBench = async (options: { runs: number }) => {
  const args = ["run", "-A", MAIN, "--version"]
  await runOnce(args)
  await runOnce(args)
  const times: Array<number> = []
  for (let i = 0; i < options.runs; i++) times.push(await runOnce(args))
  const sorted = [...times].sort((a, b) => a - b)
  return {
    machine: machine(),
    command: `deno run -A scripts/bench/coldStart.ts --runs ${options.runs} (measures: deno ${args.join(" ")})`,
    runs: options.runs,
    medianMs: round(median(times)),
    minMs: round(sorted[0]!),
    p90Ms: round(percentile(sorted, 90)),
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { runs: { type: "string", default: "20" } } })
  console.log(JSON.stringify(await coldStartBench({ runs: Number(values.runs) }), null, 2))
}
