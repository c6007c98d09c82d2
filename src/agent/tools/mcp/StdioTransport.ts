/**
 * The MCP stdio transport on Effect's `ChildProcessSpawner` instead of the SDK's own: the server process gets
 * exactly the environment claw chooses (no inherited variables, so no API keys), lives in the caller's scope
 * (killed — SIGTERM, then SIGKILL after 2 s — when it closes) and is read by fibers. Messages are newline-delimited
 * JSON-RPC, parsed and validated with the SDK's own reader; a line that is not a message (a server printing logs
 * to stdout) is reported through `onerror` and skipped. The server's stderr goes to the debug log.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js"
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js"
import type * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as ChildProcess from "effect/process/ChildProcess"
import * as ChildProcessSpawner from "effect/process/ChildProcessSpawner"
import * as Stream from "effect/Stream"

export interface StdioServerOptions {
  readonly command: string
  readonly args: ReadonlyArray<string>
  /** The child's whole environment. */
  readonly env: Readonly<Record<string, string>>
}

/** Spawns the server; the transport's `onclose` fires once, when the process ends or the transport is closed. */
export const makeStdioTransport = Effect.fn("makeStdioTransport")(function* (options: StdioServerOptions) {
  const { deserializeMessage, serializeMessage } = yield* Effect.promise(() =>
    import("@modelcontextprotocol/sdk/shared/stdio.js")
  )
  const spawner = yield* ChildProcessSpawner.ChildProcessSpawner
  const outgoing = yield* Queue.unbounded<Uint8Array, Cause.Done>()
  const encoder = new TextEncoder()
  let open = true

  const handle = yield* spawner.spawn(ChildProcess.make(options.command, [...options.args], {
    env: { ...options.env },
    extendEnv: false,
    stdin: { stream: Stream.fromQueue(outgoing) },
    forceKillAfter: "2 seconds",
  }))

  const transport: Transport & { readonly pid: number } = {
    pid: handle.pid,
    start: () => Promise.resolve(),
    send: (message: JSONRPCMessage) =>
      open
        ? Promise.resolve(void Queue.offerUnsafe(outgoing, encoder.encode(serializeMessage(message))))
        : Promise.reject(new Error("the MCP server's connection is closed")),
    close: () => {
      finish()
      return Promise.resolve()
    },
  }

  const finish = () => {
    if (!open) return
    open = false
    Queue.endUnsafe(outgoing)
    transport.onclose?.()
  }

  const deliver = (line: string) =>
    Effect.sync(() => {
      if (line.trim() === "") return
      let message: JSONRPCMessage
      try {
        message = deserializeMessage(line)
      } catch (error) {
        transport.onerror?.(new Error(`not an MCP message on stdout: ${line.slice(0, 200)}`, { cause: error }))
        return
      }
      transport.onmessage?.(message)
    })

  yield* handle.stdout.pipe(
    Stream.decodeText(),
    Stream.splitLines,
    Stream.runForEach(deliver),
    Effect.ignore,
    Effect.andThen(handle.exitCode.pipe(Effect.ignore)),
    Effect.ensuring(Effect.sync(finish)),
    Effect.forkScoped,
  )
  yield* handle.stderr.pipe(
    Stream.decodeText(),
    Stream.splitLines,
    Stream.runForEach((line) => Effect.logDebug(`MCP server stderr: ${line}`)),
    Effect.ignore,
    Effect.forkScoped,
  )
  yield* Effect.addFinalizer(() => Effect.sync(finish))
  return transport
})
