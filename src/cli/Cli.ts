/**
 * The `claw` command tree.
 */
import * as Command from "effect/cli/Command"
import { VERSION } from "../version.ts"
import { agentCommand } from "./commands/agent.ts"
import { configCommand } from "./commands/config.ts"
import { gatewayCommand } from "./commands/gateway.ts"
import { onboardCommand } from "./commands/onboard.ts"
import { statusCommand } from "./commands/status.ts"
import { ConfigFlag, LogFormatFlag } from "./flags.ts"

export const claw = Command.make("claw").pipe(
  Command.withDescription("claw: a personal AI assistant gateway"),
  Command.withSubcommands([onboardCommand, agentCommand, gatewayCommand, statusCommand, configCommand]),
  Command.withGlobalFlags([ConfigFlag, LogFormatFlag]),
)

export const runCli = Command.run(claw, { version: VERSION })
