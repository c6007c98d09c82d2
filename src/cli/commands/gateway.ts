/**
 * `claw gateway`: the agent and every enabled channel, until SIGINT/SIGTERM.
 */
import * as Command from "effect/cli/Command"
import * as handlers from "../handlers/gateway.ts"

export const gatewayCommand = Command.make(
  "gateway",
  {},
  () => handlers.run(),
).pipe(Command.withDescription("Run the gateway: the agent plus every enabled channel, until stopped"))
