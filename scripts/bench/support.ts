/**
 * Shared by the benchmarks: process helpers (spawn the gateway and the instant fake LLM, read RSS and CPU from
 * /proc) and statistics.
 */
import { fileURLToPath } from "node:url"
import { spawnWatched } from "../../tests/support/process.ts"

export const ROOT = fileURLToPath(new URL("../../", import.meta.url))
export const MAIN = `${ROOT}main.ts`

export const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

export const median = (values: ReadonlyArray<number>) => percentile([...values].sort((a, b) => a - b), 50)

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits

/** Resident set size of a process in KiB (Linux). */
export const rssKiB = (pid: number) => {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`)
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN)
}

/** User + system CPU time of a process in milliseconds (Linux, 100 ticks per second). */
export const cpuMs = (pid: number) => {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`)
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  return (Number(fields[11]) + Number(fields[12])) * 10
}

export const machine = () => {
  const cpu = /model name\s*:\s*(.+)/.exec(Deno.readTextFileSync("/proc/cpuinfo"))?.[1] ?? "unknown CPU"
  const cores = navigator.hardwareConcurrency
  const memory = Number(/MemTotal:\s+(\d+)/.exec(Deno.readTextFileSync("/proc/meminfo"))?.[1] ?? 0) / 1024 / 1024
  return `${cpu}, ${cores} cores, ${round(memory)} GiB, Deno ${Deno.version.deno}, ${Deno.build.os}/${Deno.build.arch}`
}

export const spawn = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  spawnWatched(args, { env: { NO_COLOR: "1", ...env } })

/** The instant fake LLM (smallest valid streamed answer) in its own process. */
export const startInstantLlm = async () => {
  const llm = spawn(["run", "-A", `${ROOT}tests/support/fake_llm.ts`, "--port", "0", "--instant"])
  const [, url] = await llm.waitFor(/listening (\S+)/)
  return { ...llm, url: url! }
}

/** A temp CLAW_HOME whose config sends every model call to `llmUrl`. */
export const benchHome = async (llmUrl: string, extra: Record<string, unknown> = {}) => {
  const home = await Deno.makeTempDir({ prefix: "claw-bench-" })
  const config = {
    providers: { custom: { apiKey: "bench", apiBase: llmUrl } },
    agents: { defaults: { model: "bench-model", provider: "custom", maxConcurrentTurns: 64 } },
    gateway: { heartbeat: { enabled: false } },
    ...extra,
  }
  await Deno.writeTextFile(`${home}/config.json`, JSON.stringify(config))
  return { home, configPath: `${home}/config.json`, cleanup: () => Deno.remove(home, { recursive: true }) }
}
