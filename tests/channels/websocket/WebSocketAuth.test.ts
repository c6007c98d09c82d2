/**
 * Who may connect to the WebSocket channel: loopback by default, a shared token, the plugin's auth endpoint
 * flow (close 4401 on failure), frames sent during auth kept, and no unauthenticated non-loopback bind.
 */
import { assert, assertEquals, assertStringIncludes } from "../../support/assert.ts"
import { connectClient } from "../../support/ws_client.ts"
import { startChannel, until } from "./harness.ts"

Deno.test("WebSocketChannel with a token refuses missing and wrong tokens with close 4401 and accepts the right one", async () => {
  const ws = await startChannel({ token: "s3cret-token" })
  try {
    const missing = await connectClient(ws.url, { senderId: "a" })
    assertEquals(await missing.next(() => true), {
      type: "chat.error",
      error: "Token required. Connect with ?token=YOUR_TOKEN",
    })
    assertEquals((await missing.closed).code, 4401)
    const wrong = await connectClient(ws.url, { senderId: "a", token: "nope" })
    assertStringIncludes((await wrong.next(() => true)).error!, "Authentication failed")
    assertEquals((await wrong.closed).code, 4401)
    const right = await connectClient(ws.url, { senderId: "a", token: "s3cret-token" })
    assertEquals((await right.next(() => true)).content, "Connected to WebSocket chat server")
    right.send({ type: "chat.send", content: "in" })
    await until(() => ws.inbound.length === 1, "the authorised message")
    right.close()
  } finally {
    await ws.stop()
  }
})

Deno.test("WebSocketChannel auth endpoint: the vouched user id wins, frames sent during auth are kept, failures close 4401", async () => {
  const bodies: Array<Record<string, string>> = []
  const auth = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const body = await request.json() as Record<string, string>
    bodies.push(body)
    await new Promise((resolve) => setTimeout(resolve, 150))
    return body.token === "good"
      ? Response.json({ success: true, data: { userId: "user-42", username: "Verified" } })
      : Response.json({ success: false, code: "E_BAD_TOKEN" }, { status: 401 })
  })
  const ws = await startChannel({ authEndpoint: `http://127.0.0.1:${auth.addr.port}/auth` })
  try {
    const client = await connectClient(ws.url, { senderId: "claimed", token: "good", extra: "1" })
    client.send({
      type: "chat.send",
      content: "sent before auth finished",
      senderId: "someone-else",
      messageId: "early",
    })
    await until(() => ws.inbound.length === 1, "the frame sent during auth")
    const message = ws.inbound[0]!
    assertEquals(message.senderId, "user-42")
    assertEquals(message.senderName, "Verified")
    assertEquals(message.content, "sent before auth finished")
    assertEquals(bodies[0]!.senderId, "claimed")
    assertEquals(bodies[0]!.extra, "1")
    assertEquals(bodies[0]!.tokenType, "local")
    const bad = await connectClient(ws.url, { senderId: "x", token: "bad" })
    assertEquals(await bad.next(() => true), { type: "chat.error", error: "Authentication failed: E_BAD_TOKEN" })
    assertEquals((await bad.closed).code, 4401)
    client.close()
  } finally {
    await ws.stop()
    await auth.shutdown()
  }
})

Deno.test("WebSocketChannel refuses a non-loopback bind without auth unless allowUnauthenticated", async () => {
  const refused = await startChannel({ host: "0.0.0.0" }, { expectFailure: true })
  try {
    const failure = refused.failure()
    assert(failure !== undefined, "run must fail")
    assertStringIncludes(failure, "without authentication")
    assertStringIncludes(failure, "channels.websocket.token")
  } finally {
    await refused.stop()
  }
  const withToken = await startChannel({ host: "0.0.0.0", token: "t0ken-value" })
  try {
    assertEquals(withToken.failure(), undefined)
    assertStringIncludes(withToken.url, "ws://0.0.0.0:")
  } finally {
    await withToken.stop()
  }
})

Deno.test("WebSocketChannel reports a port in use as a non-retryable bind failure", async () => {
  const blocker = Deno.listen({ hostname: "127.0.0.1", port: 0 })
  try {
    const port = (blocker.addr as Deno.NetAddr).port
    const ws = await startChannel({ port }, { expectFailure: true })
    assertStringIncludes(ws.failure() ?? "", "already in use")
    await ws.stop()
  } finally {
    blocker.close()
  }
})

Deno.test("WebSocketChannel refuses upgrades on other paths and plain HTTP on its path", async () => {
  const ws = await startChannel()
  try {
    const base = ws.url.replace("ws://", "http://")
    const wrongPath = await fetch(base.replace("/ws", "/other"))
    assertEquals(wrongPath.status, 404)
    await wrongPath.body?.cancel()
    const plain = await fetch(base)
    assertEquals(plain.status, 426)
    await plain.body?.cancel()
    let failed = false
    try {
      await connectClient(ws.url.replace("/ws", "/nope"))
    } catch {
      failed = true
    }
    assert(failed, "upgrade on another path must fail")
  } finally {
    await ws.stop()
  }
})
