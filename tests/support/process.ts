/**
 * A Deno subprocess whose stdout and stderr are collected as text, for tests and benchmarks that run claw (or a
 * fake server) the way users do and watch what it prints.
 */
export interface Watched {
  readonly child: Deno.ChildProcess
  /** Everything printed so far (stdout and stderr interleaved). */
  readonly output: () => string
  /** Waits until the output matches `pattern`; fails early if the process exits first. */
  readonly waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>
  /** Sends `signal` (SIGTERM) unless the process already exited, SIGKILL after 10 s, and resolves with its exit code. */
  readonly stop: (signal?: Deno.Signal) => Promise<number>
}

export const spawnWatched = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly clearEnv?: boolean; readonly label?: string } = {},
): Watched => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...args],
    env: options.env ?? {},
    clearEnv: options.clearEnv ?? false,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn()
  const label = options.label ?? "the process"
  let text = ""
  const decoder = new TextDecoder()
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true })
  }
  const pumping = Promise.all([pump(child.stdout), pump(child.stderr)])
  let exited: number | undefined
  const status = child.status.then((s) => (exited = s.code))
  return {
    child,
    output: () => text,
    waitFor: async (pattern, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs
      while (true) {
        const match = text.match(pattern)
        if (match !== null) return match
        if (exited !== undefined) throw new Error(`${label} exited with ${exited} before printing ${pattern}:\n${text}`)
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} from ${label}:\n${text}`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    },
    stop: async (signal = "SIGTERM") => {
      if (exited === undefined) {
        try {
          child.kill(signal)
        } catch {
          // already gone
        }
      }
      const killer = setTimeout(() => {
        try {
          if (exited === undefined) child.kill("SIGKILL")
        } catch {
          // already gone
        }
      }, 10_000)
      const code = await status
      clearTimeout(killer)
      await pumping
      return code
    },
  }
}
