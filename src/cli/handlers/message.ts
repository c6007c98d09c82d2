/**
 * `claw message send "<text>" --channel socket-chat --to <target> [--account id]`: sends a message to a chat
 * directly over the channel's platform connection, whether or not a gateway runs. Targets follow the channel's
 * grammar (socket-chat: `wxid`, `group:<id>`, `group:<id>|a,b`, `group:<id>@a,b` when unambiguous).
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { sendDirect } from "../../channels/socket-chat/sendDirect.ts"
import { AppConfig } from "../../config/AppConfig.ts"
import { CliFailure } from "../CliFailure.ts"
import { runCommand } from "../runCommand.ts"
import { channelName } from "./pairing.ts"

export interface SendInput {
  readonly text: string
  readonly channel: string
  readonly to: string
  readonly account: Option.Option<string>
}

export const send = (input: SendInput) =>
  runCommand(
    { defaultLevel: "Warn", layer: Layer.empty },
    Effect.gen(function* () {
      const channel = channelName(input.channel)
      if (channel !== "socket-chat") {
        const message = `Sending from the CLI is not supported on "${input.channel}" (supported: socket-chat)`
        yield* Console.error(message)
        return yield* new CliFailure({ message })
      }
      const app = yield* AppConfig
      const accountId = Option.getOrUndefined(input.account)
      const sent = yield* sendDirect(app.config.channels.socketChat, {
        to: input.to,
        text: input.text,
        ...(accountId !== undefined ? { accountId } : {}),
      }).pipe(
        Effect.catchTag("ChannelError", (error) =>
          Console.error(`Could not send: ${error.message}`).pipe(
            Effect.andThen(Effect.fail(new CliFailure({ message: error.message }))),
          )),
      )
      yield* Console.log(`Sent to ${sent.chatId} on ${channel} (account ${sent.accountId}).`)
    }),
  )
