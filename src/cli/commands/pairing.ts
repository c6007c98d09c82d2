/**
 * `claw pairing list [channel]`, `approve <channel> <CODE> [--notify]`, `revoke <channel> <id> [--account id]`:
 * the operator's side of pairing; a running gateway sees the change at once.
 */
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as handlers from "../handlers/pairing.ts"

const channelArgument = Argument.String("channel").pipe(Argument.withDescription("Channel name, e.g. socket-chat"))

const listCommand = Command.make(
  "list",
  { channel: channelArgument.pipe(Argument.optional) },
  ({ channel }) => handlers.list(channel),
).pipe(Command.withDescription("List pending pairing requests and approved senders"))

const approveCommand = Command.make(
  "approve",
  {
    channel: channelArgument,
    code: Argument.String("code").pipe(Argument.withDescription("The pairing code the sender received")),
    notify: Flag.Boolean("notify").pipe(
      Flag.withDescription("Tell the sender they were approved"),
      Flag.withDefault(false),
    ),
  },
  (input) => handlers.approve(input),
).pipe(Command.withDescription("Approve a pending pairing request by its code"))

const revokeCommand = Command.make(
  "revoke",
  {
    channel: channelArgument,
    id: Argument.String("id").pipe(Argument.withDescription("The sender id to revoke")),
    account: Flag.String("account").pipe(
      Flag.withDescription("Only this account of the channel (default: all)"),
      Flag.optional,
    ),
  },
  (input) => handlers.revoke(input),
).pipe(Command.withDescription("Remove a sender's approval (and any pending request)"))

export const pairingCommand = Command.make("pairing").pipe(
  Command.withDescription("Approve who may talk to the assistant on channels with dmPolicy pairing"),
  Command.withSubcommands([listCommand, approveCommand, revokeCommand]),
)
