/**
 * The process environment as a service: environment variables, the home directory and the working directory.
 * The live layer reads Deno's; tests provide a plain record so nothing leaks in from the machine running them.
 */
import * as Context from "effect/Context"
import * as Layer from "effect/Layer"

export class Environment extends Context.Service<Environment, {
  readonly get: (name: string) => string | undefined
  readonly homeDir: string
  readonly cwd: string
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
      homeDir: get("HOME") ?? get("USERPROFILE") ?? Deno.cwd(),
      cwd: Deno.cwd(),
    })
  })

  static readonly layerTest = (vars: Readonly<Record<string, string>>, homeDir = "/home/test", cwd = homeDir) =>
    Layer.succeed(Environment, Environment.of({ get: (name) => vars[name], homeDir, cwd }))
}
