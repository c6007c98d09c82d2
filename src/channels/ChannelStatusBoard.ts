/**
 * The status of every channel of a running gateway, kept in memory and mirrored to the SQLite state store so
 * `claw status` and `claw channels status` (other processes) can show it. The gateway also writes a heartbeat;
 * a reader treats a gateway whose heartbeat is older than `STALE_AFTER_MS` as not running.
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import { Environment } from "../platform/Environment.ts"
import { StateStore } from "../storage/StateStore.ts"
import type { ChannelReporter } from "./Channel.ts"

export const STATUS_NAMESPACE = "channel-status"
export const GATEWAY_NAMESPACE = "gateway"
export const HEARTBEAT_MS = 2_000
export const STALE_AFTER_MS = 10_000

export interface ChannelStatus {
  readonly id: string
  readonly name: string
  readonly accountId?: string
  readonly running: boolean
  readonly connected: boolean
  readonly reconnectAttempts: number
  readonly lastConnectAt?: number
  readonly lastDisconnectAt?: number
  readonly lastError?: string
  readonly lastErrorAt?: number
  readonly lastInboundAt?: number
  readonly lastOutboundAt?: number
  readonly inboundCount: number
  readonly outboundCount: number
  readonly details: Readonly<Record<string, unknown>>
}

export interface GatewayHeartbeat {
  readonly pid: number
  readonly startedAt: number
  readonly heartbeatAt: number
  readonly stoppedAt?: number
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

export interface SupervisedReporter extends ChannelReporter {
  readonly restarting: (attempt: number, error: string) => Effect.Effect<void>
  readonly stopped: Effect.Effect<void>
  /** Whether the channel connected since the last call (the restart backoff starts over). */
  readonly takeConnectedFlag: Effect.Effect<boolean>
}

export class ChannelStatusBoard extends Context.Service<ChannelStatusBoard, {
  readonly reporter: (
    channel: { readonly id: string; readonly name: string; readonly accountId?: string },
  ) => Effect.Effect<SupervisedReporter>
  readonly snapshot: Effect.Effect<ReadonlyArray<ChannelStatus>>
}>()("claw/channels/ChannelStatusBoard") {
  /** Keeps the board in memory and mirrors it (and a gateway heartbeat) to the state store while the scope lives. */
  static readonly layer = Layer.effect(
    ChannelStatusBoard,
    Effect.gen(function* () {
      const state = yield* StateStore
      const env = yield* Environment
      const statuses = new Map<string, Mutable<ChannelStatus>>()
      const connectedFlags = new Map<string, boolean>()
      const dirty = new Set<string>()
      const startedAt = yield* Clock.currentTimeMillis

      const flush = Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        for (const id of [...dirty]) {
          dirty.delete(id)
          const status = statuses.get(id)
          if (status !== undefined) yield* state.set(STATUS_NAMESPACE, id, { ...status, pid: env.pid })
        }
        const heartbeat: GatewayHeartbeat = { pid: env.pid, startedAt, heartbeatAt: now }
        yield* state.set(GATEWAY_NAMESPACE, "process", heartbeat)
      }).pipe(Effect.catch((error) => Effect.logWarning(`Could not save channel status: ${error.message}`)))

      for (const entry of yield* state.list(STATUS_NAMESPACE).pipe(Effect.orElseSucceed(() => []))) {
        yield* state.delete(STATUS_NAMESPACE, entry.key).pipe(Effect.ignore)
      }
      yield* flush
      yield* Effect.forkScoped(flush.pipe(Effect.repeat(Schedule.spaced(HEARTBEAT_MS)), Effect.asVoid))
      yield* Effect.addFinalizer(() =>
        Effect.gen(function* () {
          for (const status of statuses.values()) {
            status.running = false
            status.connected = false
            dirty.add(status.id)
          }
          yield* flush
          const now = yield* Clock.currentTimeMillis
          const stopped: GatewayHeartbeat = { pid: env.pid, startedAt, heartbeatAt: now, stoppedAt: now }
          yield* state.set(GATEWAY_NAMESPACE, "process", stopped).pipe(Effect.ignore)
        })
      )

      const reporter = (channel: { readonly id: string; readonly name: string; readonly accountId?: string }) =>
        Effect.sync((): SupervisedReporter => {
          const status: Mutable<ChannelStatus> = {
            id: channel.id,
            name: channel.name,
            ...(channel.accountId !== undefined ? { accountId: channel.accountId } : {}),
            running: true,
            connected: false,
            reconnectAttempts: 0,
            inboundCount: 0,
            outboundCount: 0,
            details: {},
          }
          statuses.set(channel.id, status)
          dirty.add(channel.id)
          const update = (change: (now: number) => void) =>
            Clock.currentTimeMillis.pipe(Effect.map((now) => {
              change(now)
              dirty.add(channel.id)
            }))
          return {
            connected: (details) =>
              update((now) => {
                status.connected = true
                status.running = true
                status.lastConnectAt = now
                status.reconnectAttempts = 0
                connectedFlags.set(channel.id, true)
                if (details !== undefined) status.details = { ...status.details, ...details }
              }),
            disconnected: (error) =>
              update((now) => {
                status.connected = false
                status.lastDisconnectAt = now
                if (error !== undefined) {
                  status.lastError = error
                  status.lastErrorAt = now
                }
              }),
            inbound: update((now) => {
              status.inboundCount++
              status.lastInboundAt = now
            }),
            outbound: update((now) => {
              status.outboundCount++
              status.lastOutboundAt = now
            }),
            details: (details) => update(() => void (status.details = { ...status.details, ...details })),
            error: (message) =>
              update((now) => {
                status.lastError = message
                status.lastErrorAt = now
              }),
            restarting: (attempt, error) =>
              update((now) => {
                status.connected = false
                status.reconnectAttempts = attempt
                status.lastError = error
                status.lastErrorAt = now
              }),
            stopped: update(() => {
              status.running = false
              status.connected = false
            }),
            takeConnectedFlag: Effect.sync(() => {
              const flag = connectedFlags.get(channel.id) === true
              connectedFlags.set(channel.id, false)
              return flag
            }),
          }
        })

      return ChannelStatusBoard.of({
        reporter,
        snapshot: Effect.sync(() => [...statuses.values()].map((status) => ({ ...status }))),
      })
    }),
  )
}
