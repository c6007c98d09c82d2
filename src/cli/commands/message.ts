/**
 * `claw message send "<text>" --channel socket-chat --to <target> [--account id]`, with or without a gateway.
 */
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as handlers from "../handlers/message.ts"

const sendCommand = Command.make(
  "send",
  {
    text: Argument.String("text").pipe(Argument.withDescription("The message text")),
    channel: Flag.String("channel").pipe(Flag.withDescription("Channel to send on (socket-chat)")),
    to: Flag.String("to").pipe(Flag.withDescription("Target: a user id, group:<id>, or group:<id>|<id>,<id>")),
    account: Flag.String("account").pipe(
      Flag.withDescription("Account of the channel (default: default)"),
      Flag.optional,
    ),
  },
  (input) => handlers.send(input),
).pipe(
  Command.withDescription("Send a message to a chat"),
  Command.withExamples([
    { command: 'claw message send "Hello" --channel socket-chat --to wxid_user123', description: "Direct message" },
    {
      command: 'claw message send "Hi all" --channel socket-chat --to "group:123@chatroom|wxid_a"',
      description: "Group message mentioning wxid_a",
    },
  ]),
)

export const messageCommand = Command.make("message").pipe(
  Command.withDescription("Send messages through a channel"),
  Command.withSubcommands([sendCommand]),
)
