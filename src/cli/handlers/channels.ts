/**
 * `claw channels status`: what the running gateway reports about each channel (connected, reconnect attempts,
 * last error, last inbound/outbound, adapter details), read from the state store it mirrors its status board to;
 * "Gateway not running" when its heartbeat is missing, stopped or stale. `claw channels probe socket-chat
 * [--account id]`: fetches the account's MQTT parameters from its backend, uncached, and prints them (never the
 * password).
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { gatewayStatusLines } from "../../channels/gatewayStatus.ts"
import { fetchMqttParams } from "../../channels/socket-chat/MqttParams.ts"
import { findAccount } from "../../channels/socket-chat/SocketChatConfig.ts"
import { AppConfig } from "../../config/AppConfig.ts"
import { Database } from "../../storage/Database.ts"
import { StateStore } from "../../storage/StateStore.ts"
import { CliFailure } from "../CliFailure.ts"
import { runCommand } from "../runCommand.ts"

export const status = () =>
  runCommand(
    { defaultLevel: "Warn", layer: StateStore.layer.pipe(Layer.provideMerge(Database.layer)) },
    gatewayStatusLines.pipe(Effect.flatMap((lines) => Console.log(lines.join("\n")))),
  )

export interface ProbeInput {
  readonly channel: "socket-chat"
  readonly account: Option.Option<string>
}

export const probe = (input: ProbeInput) =>
  runCommand(
    { defaultLevel: "Warn", layer: Layer.empty },
    Effect.gen(function* () {
      const app = yield* AppConfig
      const accountId = Option.getOrUndefined(input.account)
      const account = findAccount(app.config.channels.socketChat, accountId)
      if (account === undefined) {
        const message = `No socket-chat account ${accountId === undefined ? "configured" : `"${accountId}"`}`
        yield* Console.error(message)
        return yield* new CliFailure({ message })
      }
      const params = yield* fetchMqttParams(account).pipe(
        Effect.catchTag("ChannelError", (error) =>
          Console.error(`Probe failed: ${error.message}`).pipe(
            Effect.andThen(Effect.fail(new CliFailure({ message: error.message }))),
          )),
      )
      yield* Console.log([
        `socket-chat account "${account.accountId}": config endpoint OK`,
        `  broker:      ${params.url}`,
        `  host:        ${params.host}`,
        `  port:        ${params.port}`,
        `  clientId:    ${params.clientId}`,
        `  reciveTopic: ${params.reciveTopic}`,
        `  sendTopic:   ${params.sendTopic}`,
        `  robotId:     ${params.robotId}`,
      ].join("\n"))
    }),
  )
