/**
 * One Socket.IO connection to Mochat, as a scoped resource: `connectSocket` succeeds once the server accepted
 * the handshake (`auth: {token}`) and disconnects when the scope closes. WebSocket first, Socket.IO's HTTP
 * long-polling when the WebSocket transport fails; msgpack framing unless `socketDisableMsgpack`. Reconnecting is
 * the caller's job (Socket.IO's own reconnection is off), so backoff runs on Effect's clock. Incoming events are
 * handed to `onEvent` as they come, undecoded. The Socket.IO libraries load on first connect (startup speed).
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type { Socket } from "socket.io-client"
import { type MochatConfig, socketUrlOf } from "./MochatConfig.ts"

export class MochatSocketError extends Schema.TaggedError<MochatSocketError>()("MochatSocketError", {
  message: Schema.String,
  authFailed: Schema.Boolean,
}) {}

/** The events the channel listens to. */
export const MOCHAT_EVENTS = [
  "claw.session.events",
  "claw.panel.events",
  "notify:chat.message.add",
  "notify:chat.inbox.append",
] as const
export type MochatEventName = typeof MOCHAT_EVENTS[number]

export interface MochatSocket {
  /** Emits `event` and waits for the server's acknowledgement (up to the connect timeout). */
  readonly emitWithAck: (event: string, payload: unknown) => Effect.Effect<unknown, MochatSocketError>
  /** Completes with the reason when the connection is lost. */
  readonly closed: Effect.Effect<string>
  /** "websocket" or "polling". */
  readonly transport: () => string
}

const AUTH_MESSAGE = /unauthori[sz]ed|invalid[ _-]?token|forbidden|authenticat|\b401\b/i

const describe = (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error)
  const data = error instanceof Error && "data" in error ? (error as { data?: unknown }).data : undefined
  const status = typeof data === "object" && data !== null
    ? (data as Record<string, unknown>).code ?? (data as Record<string, unknown>).status
    : undefined
  return new MochatSocketError({
    message: `Mochat Socket.IO connection failed: ${message}`,
    authFailed: status === 401 || AUTH_MESSAGE.test(message),
  })
}

export const connectSocket = (
  config: MochatConfig,
  onEvent: (name: MochatEventName, payload: unknown) => void,
): Effect.Effect<MochatSocket, MochatSocketError, Scope.Scope> =>
  Effect.gen(function* () {
    const closed = yield* Deferred.make<string>()
    const [{ io }, { default: msgpackParser }] = yield* Effect.promise(() =>
      Promise.all([import("socket.io-client"), import("socket.io-msgpack-parser")])
    )
    const socket: Socket = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const socket = io(socketUrlOf(config), {
          path: config.socketPath,
          transports: ["websocket", "polling"],
          tryAllTransports: true,
          auth: { token: config.clawToken === undefined ? "" : Redacted.value(config.clawToken) },
          reconnection: false,
          forceNew: true,
          autoConnect: false,
          timeout: config.socketConnectTimeoutMs,
          ...(config.socketDisableMsgpack ? {} : { parser: msgpackParser }),
        })
        for (const name of MOCHAT_EVENTS) socket.on(name, (payload: unknown) => onEvent(name, payload))
        socket.on("disconnect", (reason) => void Deferred.doneUnsafe(closed, Effect.succeed(String(reason))))
        return socket
      }),
      (socket) =>
        Effect.sync(() => {
          socket.removeAllListeners()
          socket.disconnect()
        }),
    )
    yield* Effect.callback<void, MochatSocketError>((resume) => {
      socket.once("connect", () => resume(Effect.void))
      socket.once("connect_error", (error) => resume(Effect.fail(describe(error))))
      socket.connect()
    }).pipe(
      Effect.timeoutOrElse({
        duration: config.socketConnectTimeoutMs,
        orElse: () =>
          Effect.fail(
            new MochatSocketError({
              message: `Mochat Socket.IO connection timed out after ${config.socketConnectTimeoutMs} ms`,
              authFailed: false,
            }),
          ),
      }),
    )
    return {
      emitWithAck: (event, payload) =>
        Effect.tryPromise({
          try: () => socket.timeout(config.socketConnectTimeoutMs).emitWithAck(event, payload) as Promise<unknown>,
          catch: (error) =>
            new MochatSocketError({
              message: `No acknowledgement of ${event}: ${error instanceof Error ? error.message : String(error)}`,
              authFailed: false,
            }),
        }),
      closed: Deferred.await(closed),
      transport: () => socket.io.engine?.transport?.name ?? "unknown",
    }
  })
