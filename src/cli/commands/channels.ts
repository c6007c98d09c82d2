/**
 * `claw channels status` (what the running gateway reports about each channel) and `claw channels probe
 * socket-chat [--account id]` (the account's MQTT parameters, fetched uncached).
 */
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as handlers from "../handlers/channels.ts"

const statusCommand = Command.make("status", {}, () => handlers.status()).pipe(
  Command.withDescription("Show the running gateway's channels: connection, errors, traffic"),
)

const probeCommand = Command.make(
  "probe",
  {
    channel: Argument.Literals("channel", ["socket-chat"]).pipe(Argument.withDescription("Channel to probe")),
    account: Flag.String("account").pipe(Flag.withDescription("Account id (default: default)"), Flag.optional),
  },
  (input) => handlers.probe(input),
).pipe(Command.withDescription("Fetch a channel account's connection parameters (uncached) and show them"))

export const channelsCommand = Command.make("channels").pipe(
  Command.withDescription("Inspect channels"),
  Command.withSubcommands([statusCommand, probeCommand]),
)
