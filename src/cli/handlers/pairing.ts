/**
 * `claw pairing list [channel]`, `claw pairing approve <channel> <CODE> [--notify]` and `claw pairing revoke
 * <channel> <id> [--account id]`: the operator's side of pairing (src/security). They work on the SQLite store the
 * gateway reads on every message, so an approval takes effect without restarting it. `--notify` tells the
 * approved sender through the channel's own outbound path (for socket-chat, a direct MQTT publish).
 */
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { sendDirect } from "../../channels/socket-chat/sendDirect.ts"
import { AppConfig } from "../../config/AppConfig.ts"
import { APPROVED_TEXT } from "../../security/AccessControl.ts"
import { type ApprovedSender, PairingStore } from "../../security/PairingStore.ts"
import { Database } from "../../storage/Database.ts"
import { CliFailure } from "../CliFailure.ts"
import { runCommand } from "../runCommand.ts"

const pairingLayer = PairingStore.layer.pipe(Layer.provideMerge(Database.layer))

/** `socketChat` and `socket_chat` name the same channel as `socket-chat`. */
export const channelName = (name: string) => {
  const lower = name.trim().toLowerCase()
  return lower === "socketchat" || lower === "socket_chat" ? "socket-chat" : lower
}

const who = (sender: { readonly senderId: string; readonly senderName?: string }) =>
  sender.senderName === undefined ? sender.senderId : `${sender.senderId} (${sender.senderName})`

export const list = (channel: Option.Option<string>) =>
  runCommand(
    { defaultLevel: "Warn", layer: pairingLayer },
    Effect.gen(function* () {
      const store = yield* PairingStore
      const now = yield* Clock.currentTimeMillis
      const { approved, pending } = yield* store.list(Option.getOrUndefined(Option.map(channel, channelName)))
      const lines = [pending.length === 0 ? "No pending pairing requests." : "Pending pairing requests:"]
      for (const request of pending) {
        const minutes = Math.max(1, Math.ceil((request.expiresAt - now) / 60_000))
        lines.push(
          `  ${request.code}  ${request.channel} (account ${request.accountId})  ${who(request)}  ` +
            `expires in ${minutes} min`,
        )
      }
      lines.push(approved.length === 0 ? "No approved senders." : "Approved senders:")
      for (const sender of approved) {
        lines.push(
          `  ${sender.channel} (account ${sender.accountId})  ${who(sender)}  approved ${
            new Date(sender.approvedAt).toISOString()
          }`,
        )
      }
      yield* Console.log(lines.join("\n"))
    }),
  )

const notify = (sender: ApprovedSender) =>
  Effect.gen(function* () {
    if (sender.channel !== "socket-chat") {
      return yield* Console.error(`Cannot notify on ${sender.channel} from the CLI; tell ${sender.senderId} yourself.`)
    }
    const app = yield* AppConfig
    yield* sendDirect(app.config.channels.socketChat, {
      to: sender.senderId,
      text: APPROVED_TEXT,
      accountId: sender.accountId,
    })
    yield* Console.log(`Notified ${sender.senderId}.`)
  }).pipe(
    Effect.catchTag("ChannelError", (error) =>
      Console.error(`Approved, but could not notify ${sender.senderId}: ${error.message}`).pipe(
        Effect.andThen(Effect.fail(new CliFailure({ message: error.message }))),
      )),
  )

export interface ApproveInput {
  readonly channel: string
  readonly code: string
  readonly notify: boolean
}

export const approve = (input: ApproveInput) =>
  runCommand(
    { defaultLevel: "Warn", layer: pairingLayer },
    Effect.gen(function* () {
      const store = yield* PairingStore
      const sender = yield* store.approve(channelName(input.channel), input.code).pipe(
        Effect.catchTag("PairingError", (error) =>
          Console.error(error.message).pipe(Effect.andThen(Effect.fail(new CliFailure({ message: error.message }))))),
      )
      yield* Console.log(`Approved ${who(sender)} on ${sender.channel} (account ${sender.accountId}).`)
      if (input.notify) {
        yield* notify(sender)
      }
    }),
  )

export interface RevokeInput {
  readonly channel: string
  readonly id: string
  readonly account: Option.Option<string>
}

export const revoke = (input: RevokeInput) =>
  runCommand(
    { defaultLevel: "Warn", layer: pairingLayer },
    Effect.gen(function* () {
      const store = yield* PairingStore
      const channel = channelName(input.channel)
      const removed = yield* store.revoke(channel, input.id, Option.getOrUndefined(input.account))
      if (removed === 0) {
        const message = `No approval or pending request for "${input.id}" on ${channel}`
        yield* Console.error(message)
        return yield* new CliFailure({ message })
      }
      yield* Console.log(`Revoked "${input.id}" on ${channel}.`)
    }),
  )
