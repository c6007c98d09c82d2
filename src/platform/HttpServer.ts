/**
 * A Deno-native HTTP server (`Deno.serve`) with WebSocket upgrades, as a scoped resource: bound when acquired,
 * shut down when the scope closes. Bind failures (address in use, permission) are a `BindError` that names the
 * address, never a crash.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

export class BindError extends Schema.TaggedError<BindError>()("BindError", {
  hostname: Schema.String,
  port: Schema.Number,
  message: Schema.String,
}) {}

export interface ServedAddress {
  readonly hostname: string
  readonly port: number
}

export type Handler = (request: Request, remoteAddress: string) => Response | Promise<Response>

const describeBindFailure = (error: unknown, address: string) => {
  if (error instanceof Deno.errors.AddrInUse) return "the address is already in use"
  if (error instanceof Deno.errors.NotCapable) return `permission denied (grant it with --allow-net=${address})`
  if (error instanceof Deno.errors.PermissionDenied) {
    return "permission denied by the system (ports below 1024 need privileges)"
  }
  if (error instanceof Deno.errors.AddrNotAvailable) return "the address is not available on this machine"
  return error instanceof Error ? error.message : String(error)
}

export const serveHttp = (options: { readonly hostname: string; readonly port: number; readonly handler: Handler }) =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        const server = Deno.serve({
          hostname: options.hostname,
          port: options.port,
          onListen: () => {},
          onError: () => new Response("Internal Server Error", { status: 500 }),
        }, (request, info) => {
          const remote = info.remoteAddr
          return options.handler(request, remote.transport === "tcp" ? remote.hostname : "unix")
        })
        return server
      },
      catch: (error) =>
        new BindError({
          hostname: options.hostname,
          port: options.port,
          message: `Cannot listen on ${options.hostname}:${options.port}: ${
            describeBindFailure(error, `${options.hostname}:${options.port}`)
          }`,
        }),
    }),
    (server) => Effect.promise(() => server.shutdown()).pipe(Effect.timeout("2 seconds"), Effect.ignore),
  ).pipe(
    Effect.map((server): ServedAddress => ({
      hostname: server.addr.transport === "tcp" ? server.addr.hostname : options.hostname,
      port: server.addr.transport === "tcp" ? server.addr.port : options.port,
    })),
  )

export const upgradeWebSocket = (request: Request, idleTimeoutSeconds: number) =>
  Deno.upgradeWebSocket(request, { idleTimeout: idleTimeoutSeconds })

export const isLoopbackHost = (host: string) =>
  host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host)
