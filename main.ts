/**
 * claw's entry point: parse the command line, run the command with the platform's services. A failure exits 1
 * (already explained to the user unless it is a bug, which is printed); a missing Deno permission is one line naming
 * the flag that grants it; SIGINT/SIGTERM shut down gracefully and exit 0. Everything else lives in src/.
 */
import "./src/platform/asyncContext.ts"
import "./src/platform/processEnv.ts"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { runCli } from "./src/cli/Cli.ts"
import { CliFailure } from "./src/cli/CliFailure.ts"
import { describeMissingPermission, findMissingPermission } from "./src/security/permissions/missingPermission.ts"

const permissionLine = (error: unknown) => {
  const missing = findMissingPermission(error)
  return missing === undefined ? undefined : describeMissingPermission(missing)
}

for (const type of ["unhandledrejection", "error"] as const) {
  globalThis.addEventListener(type, (event) => {
    const line = permissionLine(event instanceof PromiseRejectionEvent ? event.reason : (event as ErrorEvent).error)
    if (line === undefined) return
    event.preventDefault()
    console.error(line)
    Deno.exit(1)
  })
}

runCli.pipe(
  Effect.tapCause((cause) =>
    Cause.hasInterruptsOnly(cause) || Cause.squash(cause) instanceof CliFailure
      ? Effect.void
      : Console.error(permissionLine(Cause.squash(cause)) ?? Cause.pretty(cause))
  ),
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    teardown: (exit, onExit) => onExit(Exit.isSuccess(exit) || Cause.hasInterruptsOnly(exit.cause) ? 0 : 1),
  }),
)
