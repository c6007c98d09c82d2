/**
 * Running the real `claw` entry point (main.ts) as a subprocess, the way users run it: a temp CLAW_HOME, a config
 * file pointed at the local fake LLM, and helpers to run one command or a whole gateway.
 */
import { fileURLToPath } from "node:url"
import { spawnWatched } from "./process.ts"

export const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url))

/** Flags every test run uses; the permission tests pass their own. */
export const DEFAULT_FLAGS = ["--allow-all"]

export interface ClawResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export interface TestHome {
  readonly home: string
  readonly configPath: string
  readonly env: Record<string, string>
  readonly cleanup: () => Promise<void>
}

/** A temp CLAW_HOME with `config` written to config.json (pass `undefined` for no file). */
export const makeHome = async (config: unknown): Promise<TestHome> => {
  const home = await Deno.makeTempDir({ prefix: "claw-test-" })
  const configPath = `${home}/config.json`
  if (config !== undefined) await Deno.writeTextFile(configPath, JSON.stringify(config, null, 2))
  return {
    home,
    configPath,
    env: { CLAW_HOME: home, NO_COLOR: "1" },
    cleanup: () => Deno.remove(home, { recursive: true }).catch(() => {}),
  }
}

/** A config that sends every model call to the fake LLM at `llmUrl`. */
export const fakeLlmConfig = (llmUrl: string, extra: Record<string, unknown> = {}) => ({
  ...extra,
  providers: { custom: { apiKey: "test-key", apiBase: llmUrl } },
  agents: {
    defaults: {
      model: "test-model",
      provider: "custom",
      retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 50, requestTimeoutS: 10 },
      ...((extra.agents as { defaults?: object } | undefined)?.defaults ?? {}),
    },
  },
})

const baseEnv = (env: Record<string, string>) => ({
  PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  HOME: Deno.env.get("HOME") ?? "/tmp",
  ...env,
})

export const runClaw = async (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly stdin?: string; readonly flags?: ReadonlyArray<string> } =
    {},
): Promise<ClawResult> => {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", ...(options.flags ?? DEFAULT_FLAGS), MAIN, ...args],
    env: baseEnv(options.env ?? {}),
    clearEnv: true,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  })
  const child = command.spawn()
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter()
    await writer.write(new TextEncoder().encode(options.stdin))
    await writer.close()
  }
  const output = await child.output()
  const decoder = new TextDecoder()
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) }
}

export interface RunningGateway {
  readonly process: Deno.ChildProcess
  /** Everything the gateway wrote to stderr so far. */
  readonly logs: () => string
  /** Waits until a log line matches `pattern` and returns the match. */
  readonly waitForLog: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>
  /** Sends SIGTERM (or `signal`) and waits for the exit code. */
  readonly stop: (signal?: Deno.Signal) => Promise<number>
}

export const startGateway = (
  options: {
    readonly env: Record<string, string>
    readonly args?: ReadonlyArray<string>
    readonly flags?: ReadonlyArray<string>
  },
): RunningGateway => {
  const watched = spawnWatched(["run", ...(options.flags ?? DEFAULT_FLAGS), MAIN, "gateway", ...(options.args ?? [])], {
    env: baseEnv(options.env),
    clearEnv: true,
    label: "the gateway",
  })
  return { process: watched.child, logs: watched.output, waitForLog: watched.waitFor, stop: watched.stop }
}
