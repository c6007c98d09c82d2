/**
 * `deno task start`: runs claw (by default `claw gateway`) under the least-privilege permission profile of its
 * configuration — exactly the flags `claw permissions` prints — never `-A`. This launcher itself needs only what
 * computing the profile takes: read (the config file, claw's modules), env (to find keys and overrides), sys=uid,
 * and run (to start `deno` and probe `bwrap`/`unshare`); no net, no write. It forwards SIGINT/SIGTERM to claw and
 * exits with claw's exit code.
 *
 * Usage: deno task start [--strict-net] [claw arguments…]   (default arguments: gateway)
 */
import "../src/platform/processEnv.ts"
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { fileURLToPath } from "node:url"
import { ToolSandbox } from "../src/agent/tools/ToolSandbox.ts"
import { AppConfig } from "../src/config/AppConfig.ts"
import { Environment } from "../src/platform/Environment.ts"
import { currentProfile } from "../src/security/permissions/currentProfile.ts"
import { profileFlags } from "../src/security/permissions/PermissionProfile.ts"

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url))

/** The `--config` value among claw's arguments, if any. */
export const configArgument = (args: ReadonlyArray<string>): string | undefined => {
  for (const [index, arg] of args.entries()) {
    if (arg === "--config" || arg === "-c") return args[index + 1]
    if (arg.startsWith("--config=")) return arg.slice("--config=".length)
  }
  return undefined
}

export const launchFlags = (args: ReadonlyArray<string>, strictNet: boolean) =>
  currentProfile({ strictNet }).pipe(
    Effect.map(profileFlags),
    Effect.provide(
      Layer.provideMerge(
        ToolSandbox.layer,
        Layer.provideMerge(AppConfig.layer(configArgument(args)), Layer.merge(Environment.layer, NodeServices.layer)),
      ),
    ),
  )

if (import.meta.main) {
  const strictNet = Deno.args.includes("--strict-net")
  const rest = Deno.args.filter((arg) => arg !== "--strict-net")
  const args = rest.length === 0 ? ["gateway"] : rest
  const flags = await Effect.runPromise(
    launchFlags(args, strictNet).pipe(
      Effect.catchTag("ConfigError", (error) => Effect.sync(() => (console.error(error.message), Deno.exit(1)))),
    ),
  )
  console.error(`claw: starting with least-privilege permissions (claw permissions explains them): ${flags.join(" ")}`)
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...flags, MAIN, ...args],
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn()
  const signals = Deno.build.os === "windows" ? (["SIGINT"] as const) : (["SIGINT", "SIGTERM"] as const)
  for (const signal of signals) {
    Deno.addSignalListener(signal, () => {
      try {
        child.kill(signal)
      } catch {
        // already exited
      }
    })
  }
  const status = await child.status
  Deno.exit(status.code)
}
