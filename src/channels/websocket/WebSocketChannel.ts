/**
 * The WebSocket server channel, wire-compatible with the openclaw-websocket plugin (see protocol.ts): clients
 * send `chat.send` frames and get `chat.typing`, `chat.stream`, `chat.response` and `chat.error` frames carrying
 * the turn's `messageId`. Direct messages get a session per sender, groups a session per `groupId`.
 * Loopback by default; binding elsewhere requires a token or an auth endpoint unless `allowUnauthenticated`.
 */
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FiberSet from "effect/FiberSet"
import * as Queue from "effect/Queue"
import * as Schedule from "effect/Schedule"
import { MessageBus } from "../../bus/MessageBus.ts"
import type { OutboundMessage } from "../../bus/Messages.ts"
import { isLoopbackHost, serveHttp, upgradeWebSocket } from "../../platform/HttpServer.ts"
import { type Channel, ChannelError, type ChannelReporter } from "../Channel.ts"
import { chunkText } from "../chunkText.ts"
import { authEnabled, authenticate } from "./auth.ts"
import { Connection } from "./Connection.ts"
import { acceptFrame, type TurnState } from "./inbound.ts"
import {
  CLOSE_AUTH,
  CLOSE_TOO_BIG,
  connectedFrame,
  errorFrame,
  processingError,
  responseFrame,
  streamFrame,
} from "./protocol.ts"
import type { WebSocketConfig } from "./WebSocketConfig.ts"

export const CHANNEL = "websocket"
/** Longest single `chat.response` frame; longer answers are split on paragraph boundaries. */
export const MAX_RESPONSE_CHARS = 4000

export class WebSocketChannel {
  static readonly make = (config: WebSocketConfig) =>
    Effect.gen(function* () {
      const bus = yield* MessageBus
      const connections = new Set<Connection>()
      const turns = new Map<string, TurnState>()

      const connectionsOf = (chatId: string) =>
        [...connections].filter((c) =>
          chatId.startsWith("group:") ? c.groups.has(chatId.slice(6)) : c.senders.has(chatId)
        )

      const endTurn = (turn: TurnState, id: string) =>
        Effect.gen(function* () {
          turns.delete(id)
          if (turn.typing !== undefined) yield* Fiber.interrupt(turn.typing)
        })

      const send = Effect.fn("WebSocketChannel.send")(function* (message: OutboundMessage) {
        const turn = message.replyTo === undefined ? undefined : turns.get(message.replyTo)
        if (turn !== undefined && message.kind !== "push") {
          if (message.kind === "delta") {
            const segment = message.segment ?? 0
            if (turn.segment !== segment) {
              turn.segment = segment
              turn.text = ""
            }
            turn.text += message.content
            turn.connection.send(
              streamFrame(turn.messageId, config.streamMode === "delta" ? message.content : turn.text),
            )
            return
          }
          yield* endTurn(turn, message.replyTo!)
          if (message.kind === "error") {
            turn.connection.send(errorFrame(turn.messageId, processingError(message.content)))
            return
          }
          if (message.content === "" && turn.pushed) return
          for (const chunk of chunkText(message.content, MAX_RESPONSE_CHARS)) {
            turn.connection.send(responseFrame(turn.messageId, chunk))
          }
          return
        }
        if (message.kind === "delta") return
        const text = message.kind === "error" ? `Error: ${message.content}` : message.content
        if (text === "") return
        const targets = turn !== undefined ? [turn.connection] : connectionsOf(message.chatId)
        const open = targets.filter((c) => !c.closed)
        if (open.length === 0) {
          return yield* new ChannelError({
            channel: CHANNEL,
            reason: "SendFailed",
            message: `No connected WebSocket client for "${message.chatId}"`,
            retryable: false,
          })
        }
        if (turn !== undefined) turn.pushed = true
        const messageId = turn?.messageId ?? message.id
        for (const connection of open) {
          for (const chunk of chunkText(text, MAX_RESPONSE_CHARS)) connection.send(responseFrame(messageId, chunk))
        }
      })

      const run = (reporter: ChannelReporter) =>
        Effect.gen(function* () {
          const address = `${config.host}:${config.port}`
          if (!isLoopbackHost(config.host) && !authEnabled(config)) {
            if (!config.allowUnauthenticated) {
              return yield* new ChannelError({
                channel: CHANNEL,
                reason: "ConfigInvalid",
                message: `Refusing to listen on ${address} without authentication: set channels.websocket.token ` +
                  "or channels.websocket.authEndpoint, or channels.websocket.allowUnauthenticated: true (insecure)",
                retryable: false,
              })
            }
            yield* Effect.logWarning(
              `WebSocket channel on ${address} accepts anyone who can reach it (allowUnauthenticated is set)`,
            )
          }
          const runFork = yield* FiberSet.makeRuntime<never>()
          const updateClients = () => runFork(reporter.details({ clients: connections.size }))
          const startDrain = (connection: Connection) =>
            void runFork(
              Effect.sync(() => connection.drainStep()).pipe(
                Effect.repeat({ schedule: Schedule.spaced("10 millis"), while: (more) => more }),
              ),
            )

          const handleSocket = (socket: WebSocket, query: URLSearchParams) => {
            const early: Array<string | ArrayBuffer> = []
            const connection = new Connection(
              socket,
              {
                senderId: query.get("senderId") || crypto.randomUUID(),
                ...(query.get("senderName") ? { senderName: query.get("senderName")! } : {}),
              },
              config.sendQueueLimit,
              startDrain,
            )
            socket.onmessage = (event) => void early.push(event.data)
            const opened = socket.readyState === WebSocket.CONNECTING
              ? Effect.callback<void>((resume) => {
                socket.onopen = () => resume(Effect.void)
              })
              : Effect.void
            const session = Effect.gen(function* () {
              yield* opened
              const frames = yield* Queue.unbounded<string | ArrayBuffer>()
              for (const data of early.splice(0)) Queue.offerUnsafe(frames, data)
              socket.onmessage = (event) => void Queue.offerUnsafe(frames, event.data)
              const auth = yield* authenticate(config, query)
              if (auth._tag === "Rejected") {
                connection.send(errorFrame(undefined, auth.error))
                connection.close(CLOSE_AUTH, "Unauthorized")
                return
              }
              if (auth._tag === "User") {
                connection.identity = {
                  ...connection.identity,
                  authenticatedId: auth.userId,
                  ...(auth.username !== undefined ? { authenticatedName: auth.username } : {}),
                }
                connection.senders.clear()
                connection.senders.add(auth.userId)
              }
              connections.add(connection)
              updateClients()
              connection.send(connectedFrame())
              while (true) {
                const data = yield* Queue.take(frames)
                const size = typeof data === "string" ? data.length : data.byteLength
                if (size > config.maxFrameBytes) {
                  connection.send(errorFrame(undefined, processingError(`frame exceeds ${config.maxFrameBytes} bytes`)))
                  connection.close(CLOSE_TOO_BIG, "Message too big")
                  return
                }
                const accepted = yield* acceptFrame(config, connection, data, turns)
                if (accepted === undefined) continue
                yield* reporter.inbound
                accepted.turn.typing = yield* Effect.forkDetach(accepted.typingLoop)
                yield* bus.publishInbound(accepted.message)
              }
            })
            const cleanup = Effect.gen(function* () {
              connections.delete(connection)
              updateClients()
              for (const [id, turn] of turns) if (turn.connection === connection) yield* endTurn(turn, id)
            })
            const fiber = runFork(session.pipe(
              Effect.catchDefect((defect) => Effect.logError("WebSocket connection handler crashed", defect)),
              Effect.ensuring(cleanup),
            ))
            connection.onServerClose = () => fiber.interruptUnsafe()
            socket.onclose = () => {
              connection.close(1000, "closed")
              fiber.interruptUnsafe()
            }
            socket.onerror = () => connection.close(1011, "error")
          }

          const handler = (request: Request) => {
            const url = new URL(request.url)
            if (url.pathname !== config.path) return new Response("Not Found", { status: 404 })
            if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
              return new Response("Upgrade Required", { status: 426 })
            }
            const { response, socket } = upgradeWebSocket(
              request,
              Math.max(1, Math.round(config.pingIntervalMs / 1000)),
            )
            handleSocket(socket, url.searchParams)
            return response
          }

          const served = yield* serveHttp({ hostname: config.host, port: config.port, handler }).pipe(
            Effect.mapError((error) =>
              new ChannelError({ channel: CHANNEL, reason: "BindFailed", message: error.message, retryable: false })
            ),
          )
          yield* Effect.addFinalizer(() =>
            Effect.sync(() => {
              for (const connection of connections) connection.close(1001, "Server shutting down")
              connections.clear()
              turns.clear()
            })
          )
          const url = `ws://${served.hostname}:${served.port}${config.path}`
          yield* reporter.connected({ url, clients: 0 })
          yield* Effect.logInfo(`WebSocket channel listening on ${url}`)
          return yield* Effect.never
        }).pipe(Effect.scoped)

      return { id: CHANNEL, name: CHANNEL, run, send } satisfies Channel
    })
}
