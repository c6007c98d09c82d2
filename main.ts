/**
 * claw's entry point: parse the command line, run the command with the platform's services, exit non-zero on
 * failure. Everything else lives in src/.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { runCli } from "./src/cli/Cli.ts"

runCli.pipe(
  Effect.tapCause((cause) =>
    Cause.hasInterruptsOnly(cause) ||
      Cause.squash(cause) instanceof Error && (Cause.squash(cause) as Error).name === "CliFailure"
      ? Effect.void
      : Console.error(Cause.pretty(cause))
  ),
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain({ disableErrorReporting: true }),
)
