/**
 * A real WebSocket client for tests: connects, collects every frame as parsed JSON, and waits for frames.
 */
export interface Frame {
  readonly type: string
  readonly messageId?: string
  readonly content?: string
  readonly error?: string
  readonly done?: boolean
}

export interface TestClient {
  readonly socket: WebSocket
  readonly frames: Array<Frame>
  readonly closed: Promise<CloseEvent>
  send(frame: unknown): void
  sendRaw(data: string): void
  /** Waits for a frame matching `predicate` that was not returned before, up to `timeoutMs`. */
  next(predicate: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>
  close(): void
}

export const connectClient = (url: string, query: Record<string, string> = {}): Promise<TestClient> => {
  const target = new URL(url)
  for (const [k, v] of Object.entries(query)) target.searchParams.set(k, v)
  const socket = new WebSocket(target)
  const frames: Array<Frame> = []
  const taken = new Set<number>()
  const waiters = new Set<() => void>()
  socket.onmessage = (event) => {
    frames.push(JSON.parse(String(event.data)))
    for (const wake of waiters) wake()
  }
  const closed = new Promise<CloseEvent>((resolve) => {
    socket.addEventListener("close", (event) => {
      resolve(event)
      for (const wake of waiters) wake()
    })
  })
  const client: TestClient = {
    socket,
    frames,
    closed,
    send: (frame) => socket.send(JSON.stringify(frame)),
    sendRaw: (data) => socket.send(data),
    next: (predicate, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const index = frames.findIndex((f, i) => !taken.has(i) && predicate(f))
          if (index >= 0) {
            taken.add(index)
            cleanup()
            resolve(frames[index]!)
          } else if (socket.readyState === WebSocket.CLOSED) {
            cleanup()
            reject(new Error(`socket closed while waiting; frames: ${JSON.stringify(frames)}`))
          }
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`timed out waiting for a frame; got: ${JSON.stringify(frames)}`))
        }, timeoutMs)
        const cleanup = () => {
          clearTimeout(timer)
          waiters.delete(check)
        }
        waiters.add(check)
        check()
      }),
    close: () => socket.close(),
  }
  return new Promise((resolve, reject) => {
    socket.onopen = () => resolve(client)
    socket.onerror = () => reject(new Error(`cannot connect to ${target}`))
  })
}
