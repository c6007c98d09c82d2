/**
 * A client that stops reading must not block others or grow the server's memory: its frames wait in a bounded
 * backlog, and when that overflows the server drops it with close code 1008.
 */
import { assertEquals } from "../../support/assert.ts"
import { connectClient } from "../../support/ws_client.ts"
import { startChannel, until } from "./harness.ts"

/** Opens a WebSocket with a hand-made handshake and then never reads from the socket. */
const stalledClient = async (url: string, senderId: string) => {
  const target = new URL(url)
  const conn = await Deno.connect({ hostname: target.hostname, port: Number(target.port) })
  const request = [
    `GET ${target.pathname}?senderId=${senderId} HTTP/1.1`,
    `Host: ${target.host}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version: 13",
    "",
    "",
  ].join("\r\n")
  await conn.write(new TextEncoder().encode(request))
  const head = new Uint8Array(1024)
  const read = await conn.read(head)
  const text = new TextDecoder().decode(head.subarray(0, read ?? 0))
  if (!text.startsWith("HTTP/1.1 101")) throw new Error(`handshake failed: ${text}`)
  return conn
}

/** Reads until `pattern` appears in the byte stream (true) or the connection ends or time runs out (false). */
const readUntil = async (conn: Deno.Conn, pattern: ReadonlyArray<number>, timeoutMs: number) => {
  const timer = setTimeout(() => conn.close(), timeoutMs)
  const buffer = new Uint8Array(64 * 1024)
  let window: Array<number> = []
  try {
    while (true) {
      const n = await conn.read(buffer).catch(() => null)
      if (n === null) return false
      window = [...window.slice(-pattern.length), ...buffer.subarray(0, n)]
      for (let i = 0; i + pattern.length <= window.length; i++) {
        if (pattern.every((byte, j) => window[i + j] === byte)) return true
      }
    }
  } finally {
    clearTimeout(timer)
  }
}

Deno.test("WebSocketChannel disconnects a client that stops reading (1008) without slowing the others", async () => {
  const ws = await startChannel({ sendQueueLimit: 32, pingIntervalMs: 1000 })
  const stalled = await stalledClient(ws.url, "sloth")
  const healthy = await connectClient(ws.url, { senderId: "quick" })
  try {
    await until(() => ws.reporter.reported.clients === 2, "both clients connected")
    const big = "x".repeat(256 * 1024)
    let pushed = 0
    for (; pushed < 400; pushed++) {
      const delivered = await ws.send({ chatId: "sloth", kind: "push", content: big }).then(() => true, () => false)
      if (!delivered) break
    }
    assertEquals(pushed < 400, true, "the server stops accepting frames for the stalled client")
    await until(() => ws.reporter.reported.clients === 1, "the stalled client to be dropped")
    const started = Date.now()
    await ws.send({ chatId: "quick", kind: "push", content: "still served" })
    assertEquals((await healthy.next((f) => f.content === "still served")).done, true)
    assertEquals(Date.now() - started < 1000, true)
    const closeFrame = [0x88, 2 + "Client too slow".length, 0x03, 0xf0]
    const found = await readUntil(stalled, closeFrame, 10_000)
    assertEquals(found, true, "a close frame with code 1008 arrives once the client reads again")
  } finally {
    healthy.close()
    try {
      stalled.close()
    } catch {
      // closed by the server
    }
    await ws.stop()
  }
})
