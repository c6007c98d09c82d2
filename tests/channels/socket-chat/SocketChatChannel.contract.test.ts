/**
 * The Channel contract run against SocketChatChannel, with a real aedes broker and the fake config backend.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { findAccount } from "../../../src/channels/socket-chat/SocketChatConfig.ts"
import { SocketChatChannel } from "../../../src/channels/socket-chat/SocketChatChannel.ts"
import { decodeConfigValue } from "../../../src/config/decodeConfig.ts"
import { PairingStore } from "../../../src/security/PairingStore.ts"
import { Database } from "../../../src/storage/Database.ts"
import { startBroker } from "../../support/mqtt_broker.ts"
import {
  connectPlatform,
  imMessage,
  mqttParams,
  PLATFORM_USER,
  startBackend,
} from "../../support/socket_chat_backend.ts"
import { channelContract } from "../Channel.contract.ts"

channelContract("SocketChatChannel", {
  make: async () => {
    const backend = await startBackend()
    const broker = await startBroker({ users: { [PLATFORM_USER.username]: PLATFORM_USER.password } })
    const params = mqttParams(broker.port, "contract")
    broker.allow(params.username, params.password)
    backend.register("contract-key", params)
    const decoded = decodeConfigValue({
      channels: { socket_chat: { enabled: true, apiKey: "contract-key", apiBaseUrl: backend.url, dmPolicy: "open" } },
    })
    if (decoded._tag !== "Ok") throw new Error(decoded.problems.join("\n"))
    const account = findAccount(decoded.config.channels.socketChat)!
    const runtime = ManagedRuntime.make(PairingStore.layer.pipe(Layer.provide(Database.layerMemory)))
    const store = await runtime.runPromise(PairingStore.useSync((store) => store))
    const platform = await connectPlatform(broker.url, params)
    return {
      channel: SocketChatChannel.make(account).pipe(Effect.provideService(PairingStore, store)),
      driver: {
        ready: async () => {
          const subscribed = `${params.clientId} ${params.reciveTopic}`
          while (!broker.subscriptions.includes(subscribed)) await new Promise((resolve) => setTimeout(resolve, 10))
        },
        userSends: (user, text) => platform.userSends(imMessage(params, { senderId: user, content: text })),
        sendMalformed: () => platform.userSends('{"content": 1, "senderId": null}'),
        chatIdOf: (user) => user,
        nextDelivered: async (user, timeoutMs) => {
          const payload = await platform.next((json) => json.contactId === user, timeoutMs)
          return (payload.messages as Array<{ content: string }>).map((m) => m.content).join("")
        },
        isDisconnected: () => Promise.resolve(!broker.clients().includes(params.clientId)),
        close: async () => {
          await platform.close()
          await runtime.dispose()
          await broker.close()
          await backend.close()
        },
      },
    }
  },
})
