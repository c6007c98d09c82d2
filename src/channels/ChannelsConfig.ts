/**
 * `channels.*`: one entry per channel adapter. Each adapter owns its config Schema next to its code.
 */
import * as Schema from "effect/Schema"
import { withDefault } from "../config/fields.ts"
import { MochatConfig } from "./mochat/MochatConfig.ts"
import { SocketChatConfig } from "./socket-chat/SocketChatConfig.ts"
import { WebSocketConfig } from "./websocket/WebSocketConfig.ts"

export const ChannelsConfig = Schema.Struct({
  websocket: withDefault(WebSocketConfig, {}),
  mochat: withDefault(MochatConfig, {}),
  socketChat: withDefault(SocketChatConfig, {}),
})
export type ChannelsConfig = typeof ChannelsConfig.Type
