import { decodeConfigValue } from "../../../src/config/decodeConfig.ts"
import { WebSocketChannel } from "../../../src/channels/websocket/WebSocketChannel.ts"
import { connectClient, type TestClient } from "../../support/ws_client.ts"
import { channelContract } from "../Channel.contract.ts"

const websocketConfig = () => {
  const decoded = decodeConfigValue({ channels: { websocket: { port: 0 } } })
  if (decoded._tag !== "Ok") throw new Error(decoded.problems.join("\n"))
  return decoded.config.channels.websocket
}

channelContract("WebSocketChannel", {
  make: () => {
    let url = ""
    const clients = new Map<string, TestClient>()
    const others: Array<TestClient> = []
    const clientOf = async (user: string) => {
      const existing = clients.get(user)
      if (existing !== undefined) return existing
      const client = await connectClient(url, { senderId: user })
      await client.next((f) => f.type === "chat.response" && f.messageId === undefined)
      clients.set(user, client)
      return client
    }
    return Promise.resolve({
      channel: WebSocketChannel.make(websocketConfig()),
      driver: {
        ready: (details) => {
          url = String(details.url)
          return Promise.resolve()
        },
        userSends: async (user, text) => (await clientOf(user)).send({ type: "chat.send", content: text }),
        sendMalformed: async () => {
          const client = await connectClient(url, { senderId: "mallory" })
          others.push(client)
          client.sendRaw("{not json")
          await client.next((f) => f.type === "chat.error")
        },
        chatIdOf: (user) => user,
        nextDelivered: async (user, timeoutMs) =>
          (await (await clientOf(user)).next((f) => f.type === "chat.response" && f.messageId !== undefined, timeoutMs))
            .content ?? "",
        isDisconnected: async () => {
          try {
            const probe = await connectClient(url)
            probe.close()
            return false
          } catch {
            return true
          }
        },
        close: async () => {
          for (const client of [...clients.values(), ...others]) {
            client.close()
            await client.closed
          }
        },
      },
    })
  },
})
