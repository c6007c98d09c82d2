/**
 * claw's entry point: parse the command line, run the command with the platform's services. A failure exits 1
 * (already explained to the user unless it is a bug, which is printed); SIGINT/SIGTERM shut down gracefully and
 * exit 0. Everything else lives in src/.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { runCli } from "./src/cli/Cli.ts"
import { CliFailure } from "./src/cli/CliFailure.ts"

runCli.pipe(
  Effect.tapCause((cause) =>
    Cause.hasInterruptsOnly(cause) || Cause.squash(cause) instanceof CliFailure
      ? Effect.void
      : Console.error(Cause.pretty(cause))
  ),
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    teardown: (exit, onExit) => onExit(Exit.isSuccess(exit) || Cause.hasInterruptsOnly(exit.cause) ? 0 : 1),
  }),
)
