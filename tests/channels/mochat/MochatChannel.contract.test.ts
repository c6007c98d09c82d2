import * as Effect from "effect/Effect"
import { MochatChannel } from "../../../src/channels/mochat/MochatChannel.ts"
import { StateStore } from "../../../src/storage/StateStore.ts"
import { startFakeMochat } from "../../support/fake_mochat.ts"
import { channelContract } from "../Channel.contract.ts"
import { mochatConfig, subscribedTo, until } from "./harness.ts"

const USERS = ["alice", "bob", "carol"]

channelContract("MochatChannel", {
  make: async () => {
    const fake = await startFakeMochat({ sessions: USERS.map((u) => `session_${u}`) })
    const delivered = new Map<string, number>()
    return {
      channel: MochatChannel.make(mochatConfig(fake)).pipe(Effect.provide(StateStore.layerMemory)),
      driver: {
        ready: () =>
          until(
            () => subscribedTo(fake, "sessions").length > 0 && subscribedTo(fake, "panels").length > 0,
            "subscriptions",
          ),
        userSends: (user, text) => {
          fake.userSays(`session_${user}`, user, text)
          return Promise.resolve()
        },
        sendMalformed: () => {
          fake.emitRaw("claw.session.events", { cursor: "nope", events: 42 })
          fake.emitRaw("claw.session.events", { sessionId: "session_carol", events: [{ seq: "x" }, null] })
          fake.emitRaw("notify:chat.message.add", "not an object")
          fake.emitRaw("notify:chat.inbox.append", { type: "message", payload: 7 })
          return Promise.resolve()
        },
        chatIdOf: (user) => `session_${user}`,
        nextDelivered: async (user, timeoutMs) => {
          const mine = () => fake.sends.filter((s) => s.body.sessionId === `session_${user}`)
          const seen = delivered.get(user) ?? 0
          await until(() => mine().length > seen, `a message to ${user}`, timeoutMs)
          delivered.set(user, seen + 1)
          return String(mine()[seen]!.body.content)
        },
        isDisconnected: () => Promise.resolve(fake.connectedSockets() === 0),
        close: () => fake.close(),
      },
    }
  },
})
