/**
 * The process environment as a service: environment variables, the home directory and the working directory.
 * The live layer reads Deno's; tests provide a plain record so nothing leaks in from the machine running them.
 */
import * as Context from "effect/Context"
import * as Layer from "effect/Layer"

export class Environment extends Context.Service<Environment, {
  readonly get: (name: string) => string | undefined
  /** Every variable readable under the granted permissions (empty when listing is not allowed). */
  readonly all: () => Readonly<Record<string, string>>
  readonly homeDir: string
  readonly cwd: string
  /** `linux`, `darwin`, `windows`, … and the CPU architecture. */
  readonly os: string
  readonly arch: string
  /** The system's IANA time zone. */
  readonly timeZone: string
  /** e.g. "Deno 2.9.6". */
  readonly runtime: string
  /** Whether stdout is a terminal (render Markdown) or a pipe (plain text). */
  readonly stdoutIsTerminal: boolean
  readonly pid: number
}>()("claw/platform/Environment") {
  static readonly layer = Layer.sync(Environment, () => {
    const get = (name: string) => {
      try {
        return Deno.env.get(name)
      } catch {
        return undefined
      }
    }
    return Environment.of({
      get,
      all: () => {
        try {
          return Deno.env.toObject()
        } catch {
          return {}
        }
      },
      homeDir: get("HOME") ?? get("USERPROFILE") ?? Deno.cwd(),
      cwd: Deno.cwd(),
      os: Deno.build.os,
      arch: Deno.build.arch,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC",
      runtime: `Deno ${Deno.version.deno}`,
      stdoutIsTerminal: Deno.stdout.isTerminal(),
      pid: Deno.pid,
    })
  })

  static readonly layerTest = (vars: Readonly<Record<string, string>>, homeDir = "/home/test", cwd = homeDir) =>
    Layer.succeed(
      Environment,
      Environment.of({
        get: (name) => vars[name],
        all: () => vars,
        homeDir,
        cwd,
        os: "linux",
        arch: "x86_64",
        timeZone: "UTC",
        runtime: "Deno",
        stdoutIsTerminal: false,
        pid: 1,
      }),
    )
}
