/**
 * `claw channels status`: what the running gateway reports about each channel (connected, reconnect attempts,
 * last error, last inbound/outbound, adapter details), read from the state store it mirrors its status board to;
 * "Gateway not running" when its heartbeat is missing, stopped or stale. `claw channels probe socket-chat
 * [--account id]`: fetches the account's MQTT parameters from its backend, uncached, and prints them (never the
 * password).
 */
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { GATEWAY_NAMESPACE, STALE_AFTER_MS, STATUS_NAMESPACE } from "../../channels/ChannelStatusBoard.ts"
import { fetchMqttParams } from "../../channels/socket-chat/MqttParams.ts"
import { findAccount } from "../../channels/socket-chat/SocketChatConfig.ts"
import { AppConfig } from "../../config/AppConfig.ts"
import { Database } from "../../storage/Database.ts"
import { StateStore } from "../../storage/StateStore.ts"
import { CliFailure } from "../CliFailure.ts"
import { runCommand } from "../runCommand.ts"

const Heartbeat = Schema.Struct({
  pid: Schema.Number,
  startedAt: Schema.Number,
  heartbeatAt: Schema.Number,
  stoppedAt: Schema.optionalKey(Schema.Number),
})

const Status = Schema.Struct({
  id: Schema.String,
  running: Schema.Boolean,
  connected: Schema.Boolean,
  reconnectAttempts: Schema.Number,
  lastConnectAt: Schema.optionalKey(Schema.Number),
  lastDisconnectAt: Schema.optionalKey(Schema.Number),
  lastError: Schema.optionalKey(Schema.String),
  lastInboundAt: Schema.optionalKey(Schema.Number),
  lastOutboundAt: Schema.optionalKey(Schema.Number),
  inboundCount: Schema.Number,
  outboundCount: Schema.Number,
  details: Schema.Record(Schema.String, Schema.Unknown),
})
type Status = typeof Status.Type

const decodeHeartbeat = Schema.decodeUnknownOption(Heartbeat)
const decodeStatus = Schema.decodeUnknownOption(Status)

export const ago = (now: number, at: number | undefined) => {
  if (at === undefined) return "never"
  const s = Math.max(0, Math.round((now - at) / 1000))
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.round(s / 60)}m ago` : `${Math.round(s / 3600)}h ago`
}

const DETAIL_KEYS = ["state", "host", "port", "url", "reciveTopic", "sendTopic", "robotId", "clients", "queued", "note"]

export const statusLines = (status: Status, now: number) => {
  const attempts = Math.max(status.reconnectAttempts, Number(status.details.reconnectAttempts ?? 0) || 0)
  const facts = DETAIL_KEYS.filter((key) => status.details[key] !== undefined)
    .map((key) => `${key}=${String(status.details[key])}`)
  return [
    `${status.id}: ${status.connected ? "connected" : status.running ? "disconnected" : "stopped"}`,
    ...(facts.length > 0 ? [`  ${facts.join(" ")}`] : []),
    `  reconnect attempts: ${attempts}; last connect: ${ago(now, status.lastConnectAt)}; ` +
    `last disconnect: ${ago(now, status.lastDisconnectAt)}`,
    `  last inbound: ${ago(now, status.lastInboundAt)} (${status.inboundCount}); ` +
    `last outbound: ${ago(now, status.lastOutboundAt)} (${status.outboundCount})`,
    ...(status.lastError !== undefined ? [`  last error: ${status.lastError}`] : []),
  ]
}

export const status = () =>
  runCommand(
    { defaultLevel: "Warn", layer: StateStore.layer.pipe(Layer.provideMerge(Database.layer)) },
    Effect.gen(function* () {
      const state = yield* StateStore
      const now = yield* Clock.currentTimeMillis
      const heartbeat = Option.flatMap(yield* state.get(GATEWAY_NAMESPACE, "process"), decodeHeartbeat)
      const alive = Option.isSome(heartbeat) && heartbeat.value.stoppedAt === undefined &&
        now - heartbeat.value.heartbeatAt < STALE_AFTER_MS
      if (!alive) return yield* Console.log("Gateway not running.")
      const lines = [`Gateway running (pid ${heartbeat.value.pid}, started ${ago(now, heartbeat.value.startedAt)}).`]
      const statuses = (yield* state.list(STATUS_NAMESPACE)).flatMap((entry) =>
        Option.toArray(decodeStatus(entry.value))
      )
      if (statuses.length === 0) lines.push("No channels enabled.")
      for (const status of statuses) lines.push(...statusLines(status, now))
      yield* Console.log(lines.join("\n"))
    }),
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
