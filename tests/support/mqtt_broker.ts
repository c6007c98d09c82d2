/**
 * A real MQTT broker for tests: aedes in-process on 127.0.0.1 (port 0 unless given), with a stop/start cycle that
 * keeps the port (to test reconnects), optional username/password checking (`users`, `allow`), and a record of subscriptions.
 *
 * API:
 * - `startBroker(options?)` → `TestBroker` with `port`, `url` (`mqtt://127.0.0.1:<port>`).
 * - `stop()` drops every client and stops listening; `start()` listens again on the same port with a fresh broker.
 * - `subscriptions` lists `clientId topic` for every SUBSCRIBE seen (across restarts); `clients()` the connected
 *   client ids. `close()` stops everything for good.
 */
import { Aedes } from "aedes"
import { createServer, type Server, type Socket } from "node:net"

export interface TestBroker {
  readonly port: number
  readonly url: string
  readonly subscriptions: Array<string>
  readonly clients: () => ReadonlyArray<string>
  /** Lets `username`/`password` connect too (when the broker checks credentials). */
  readonly allow: (username: string, password: string) => void
  readonly stop: () => Promise<void>
  readonly start: () => Promise<void>
  readonly close: () => Promise<void>
}

export interface BrokerOptions {
  readonly port?: number
  /** When set, only these username → password pairs may connect. */
  readonly users?: Readonly<Record<string, string>>
}

export const startBroker = async (options: BrokerOptions = {}): Promise<TestBroker> => {
  let port = options.port ?? 0
  const users = options.users === undefined ? undefined : { ...options.users }
  const subscriptions: Array<string> = []
  const connected = new Set<string>()
  let broker: Aedes | undefined
  let server: Server | undefined
  const sockets = new Set<Socket>()

  const start = async () => {
    const next = await Aedes.createBroker({
      authenticate: (_client, username, password, done) => {
        if (users === undefined) return done(null, true)
        if (username !== undefined && users[username] === password?.toString()) return done(null, true)
        done(Object.assign(new Error("bad credentials"), { returnCode: 4 as const }), false)
      },
    })
    next.on("client", (client) => void connected.add(client.id))
    next.on("clientDisconnect", (client) => void connected.delete(client.id))
    next.on("subscribe", (subs, client) => {
      for (const sub of subs) subscriptions.push(`${client?.id ?? "?"} ${sub.topic}`)
    })
    const listening = createServer((socket) => {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
      next.handle(socket)
    })
    await new Promise<void>((resolve, reject) => {
      listening.once("error", reject)
      listening.listen(port, "127.0.0.1", () => resolve())
    })
    port = (listening.address() as { port: number }).port
    broker = next
    server = listening
  }

  const stop = async () => {
    const [oldBroker, oldServer] = [broker, server]
    broker = undefined
    server = undefined
    if (oldBroker !== undefined) await new Promise<void>((resolve) => oldBroker.close(() => resolve()))
    for (const socket of sockets) socket.destroy()
    sockets.clear()
    connected.clear()
    if (oldServer !== undefined) await new Promise<void>((resolve) => oldServer.close(() => resolve()))
  }

  await start()
  return {
    get port() {
      return port
    },
    get url() {
      return `mqtt://127.0.0.1:${port}`
    },
    subscriptions,
    clients: () => [...connected],
    allow: (username, password) => {
      if (users !== undefined) users[username] = password
    },
    stop,
    start,
    close: stop,
  }
}
