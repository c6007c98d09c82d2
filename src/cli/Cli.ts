/**
 * The `claw` command tree.
 */
import * as Command from "effect/cli/Command"
import { VERSION } from "../version.ts"
import { agentCommand } from "./commands/agent.ts"
import { channelsCommand } from "./commands/channels.ts"
import { configCommand } from "./commands/config.ts"
import { cronCommand } from "./commands/cron.ts"
import { gatewayCommand } from "./commands/gateway.ts"
import { messageCommand } from "./commands/message.ts"
import { onboardCommand } from "./commands/onboard.ts"
import { pairingCommand } from "./commands/pairing.ts"
import { permissionsCommand } from "./commands/permissions.ts"
import { sessionsCommand } from "./commands/sessions.ts"
import { skillsCommand } from "./commands/skills.ts"
import { statusCommand } from "./commands/status.ts"
import { ConfigFlag, LogFormatFlag } from "./flags.ts"

export const claw = Command.make("claw").pipe(
  Command.withDescription("claw: a personal AI assistant gateway"),
  Command.withSubcommands([
    onboardCommand,
    agentCommand,
    gatewayCommand,
    statusCommand,
    configCommand,
    cronCommand,
    channelsCommand,
    pairingCommand,
    messageCommand,
    skillsCommand,
    sessionsCommand,
    permissionsCommand,
  ]),
  Command.withGlobalFlags([ConfigFlag, LogFormatFlag]),
)

export const runCli = Command.run(claw, { version: VERSION })
