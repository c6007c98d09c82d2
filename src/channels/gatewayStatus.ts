/**
 * Reading a running gateway's channel status from another process: the heartbeat and the per-channel snapshots the
 * gateway's `ChannelStatusBoard` mirrors to the state store, decoded, and rendered as the lines `claw status` and
 * `claw channels status` print.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { StateStore } from "../storage/StateStore.ts"
import { GATEWAY_NAMESPACE, STALE_AFTER_MS, STATUS_NAMESPACE } from "./ChannelStatusBoard.ts"

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
export type LiveStatus = typeof Status.Type

const decodeHeartbeat = Schema.decodeUnknownOption(Heartbeat)
const decodeStatus = Schema.decodeUnknownOption(Status)

export const ago = (now: number, at: number | undefined) => {
  if (at === undefined) return "never"
  const s = Math.max(0, Math.round((now - at) / 1000))
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.round(s / 60)}m ago` : `${Math.round(s / 3600)}h ago`
}

const DETAIL_KEYS = [
  "state",
  "mode",
  "host",
  "port",
  "url",
  "reciveTopic",
  "sendTopic",
  "robotId",
  "clients",
  "queued",
  "note",
]

export const statusLines = (status: LiveStatus, now: number) => {
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

/** "Gateway not running." or the gateway line followed by each channel's lines. */
export const gatewayStatusLines = Effect.gen(function* () {
  const state = yield* StateStore
  const now = yield* Clock.currentTimeMillis
  const heartbeat = Option.flatMap(yield* state.get(GATEWAY_NAMESPACE, "process"), decodeHeartbeat)
  const alive = Option.isSome(heartbeat) && heartbeat.value.stoppedAt === undefined &&
    now - heartbeat.value.heartbeatAt < STALE_AFTER_MS
  if (!alive) return ["Gateway not running."]
  const lines = [`Gateway running (pid ${heartbeat.value.pid}, started ${ago(now, heartbeat.value.startedAt)}).`]
  const statuses = (yield* state.list(STATUS_NAMESPACE)).flatMap((entry) => Option.toArray(decodeStatus(entry.value)))
  if (statuses.length === 0) lines.push("No channels enabled.")
  for (const status of statuses) lines.push(...statusLines(status, now))
  return lines
})
