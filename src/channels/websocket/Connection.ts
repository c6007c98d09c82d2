/**
 * One client socket: who it speaks for, and a send path with backpressure. Frames go straight to the socket
 * while its buffer is small; beyond that they wait in a bounded backlog drained as the socket catches up. A client
 * whose backlog overflows is too slow to keep: it is closed with 1008, so it cannot block others or grow memory.
 */
import { CLOSE_POLICY } from "./protocol.ts"

/** Bytes the socket may buffer before frames wait in the backlog. */
const HIGH_WATER_BYTES = 1 << 20

export interface ConnectionIdentity {
  /** Default sender of the connection (query `senderId`, or a random UUID). */
  readonly senderId: string
  readonly senderName?: string
  /** Set when an auth endpoint vouched for the user; it then wins over any senderId in a message. */
  readonly authenticatedId?: string
  readonly authenticatedName?: string
}

export class Connection {
  readonly id = crypto.randomUUID()
  identity: ConnectionIdentity
  readonly groups = new Set<string>()
  readonly senders = new Set<string>()
  #backlog: Array<string> = []
  #draining = false
  #closed = false
  /** Called once when the server closes the connection (the client may not have acknowledged yet). */
  onServerClose: (() => void) | undefined

  constructor(
    readonly socket: WebSocket,
    identity: ConnectionIdentity,
    private readonly backlogLimit: number,
    /** Starts draining the backlog (the channel polls `drainStep` on an Effect schedule). */
    private readonly startDrain: (connection: Connection) => void,
  ) {
    this.identity = identity
    this.senders.add(identity.senderId)
  }

  get closed() {
    return this.#closed || this.socket.readyState >= WebSocket.CLOSING
  }

  /** Queues a frame; returns false when the connection is closed or was just closed for being too slow. */
  send(frame: string): boolean {
    if (this.closed) return false
    if (this.#backlog.length === 0 && this.socket.bufferedAmount < HIGH_WATER_BYTES) {
      this.socket.send(frame)
      return true
    }
    if (this.#backlog.length >= this.backlogLimit) {
      this.close(CLOSE_POLICY, "Client too slow")
      return false
    }
    this.#backlog.push(frame)
    if (!this.#draining) {
      this.#draining = true
      this.startDrain(this)
    }
    return true
  }

  /** Moves backlog frames to the socket as its buffer allows; returns true while frames are still waiting. */
  drainStep(): boolean {
    if (this.closed) {
      this.#draining = false
      return false
    }
    while (this.#backlog.length > 0 && this.socket.bufferedAmount < HIGH_WATER_BYTES) {
      this.socket.send(this.#backlog.shift()!)
    }
    this.#draining = this.#backlog.length > 0
    return this.#draining
  }

  close(code: number, reason: string) {
    if (this.#closed) return
    this.#closed = true
    this.#backlog = []
    try {
      this.socket.close(code, reason)
    } catch {
      // already closing
    }
    this.onServerClose?.()
  }
}
