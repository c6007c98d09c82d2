/**
 * `channels.websocket` (older name `channels.ws`): the WebSocket server channel, wire-compatible with the
 * openclaw-websocket plugin. Loopback by default; any other bind address requires auth or an explicit opt-out.
 */
import * as Schema from "effect/Schema"
import { optional, Port, PositiveInt, Secret, StringList, withDefault } from "../../config/fields.ts"

export const WebSocketConfig = Schema.Struct({
  enabled: withDefault(Schema.Boolean, true),
  host: withDefault(Schema.String, "127.0.0.1", "Bind address; anything but loopback requires token or authEndpoint"),
  port: withDefault(Port, 18800),
  path: withDefault(Schema.String, "/ws"),
  token: optional(Secret, "Shared token clients pass as ?token="),
  authEndpoint: optional(Schema.String, "External auth URL (POSTed the query parameters)"),
  allowUnauthenticated: withDefault(
    Schema.Boolean,
    false,
    "Allow a non-loopback bind without auth (insecure; anyone who can reach the port can use the agent)",
  ),
  allowFrom: withDefault(StringList, [], "Sender ids allowed to talk to the agent (empty: everyone)"),
  streamMode: withDefault(Schema.Literals(["cumulative", "delta"]), "cumulative"),
  maxFrameBytes: withDefault(PositiveInt, 1_048_576),
  pingIntervalMs: withDefault(PositiveInt, 30_000),
  sendQueueLimit: withDefault(PositiveInt, 256, "Frames queued for a slow client before it is disconnected"),
})
export type WebSocketConfig = typeof WebSocketConfig.Type
