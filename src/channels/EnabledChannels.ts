/**
 * Which channels this gateway runs: one adapter instance per enabled channel (and per account), built from the
 * config at startup. Adapters are chosen here with static imports, so `deno compile` bundles all of them.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { AppConfig } from "../config/AppConfig.ts"
import type { Channel } from "./Channel.ts"
import { MochatChannel } from "./mochat/MochatChannel.ts"
import { SocketChatChannel } from "./socket-chat/SocketChatChannel.ts"
import { WebSocketChannel } from "./websocket/WebSocketChannel.ts"

export class EnabledChannels extends Context.Service<EnabledChannels, {
  readonly channels: ReadonlyArray<Channel>
}>()("claw/channels/EnabledChannels") {
  static readonly layer = Layer.effect(
    EnabledChannels,
    Effect.gen(function* () {
      const { config } = yield* AppConfig
      const channels: Array<Channel> = []
      if (config.channels.websocket.enabled) channels.push(yield* WebSocketChannel.make(config.channels.websocket))
      if (config.channels.mochat.enabled) channels.push(yield* MochatChannel.make(config.channels.mochat))
      channels.push(...yield* SocketChatChannel.fromConfig(config.channels.socketChat))
      return EnabledChannels.of({ channels })
    }),
  )

  static readonly layerFrom = (channels: ReadonlyArray<Channel>) =>
    Layer.succeed(EnabledChannels, EnabledChannels.of({ channels }))
}
