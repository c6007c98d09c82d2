/**
 * `message(content, channel?, chat_id?, media?)`: sends a message to any chat, by default the one the turn came
 * from. It goes out as an outbound `push` (replying to the turn's message when the target is the current chat), and
 * the target is recorded in `context.delivered`, so the agent loop can skip a final reply that would repeat it.
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Schema from "effect/Schema"
import { MessageBus } from "../../bus/MessageBus.ts"
import type { MediaRef, OutboundMessage } from "../../bus/Messages.ts"
import { makeTool, type Tool, ToolError } from "./Tool.ts"
import type { WorkspacePaths } from "./workspacePath.ts"

const MessageParameters = Schema.Struct({
  content: Schema.String.annotate({ description: "The message text" }),
  channel: Schema.optionalKey(
    Schema.String.annotate({ description: "Target channel (default: the current conversation's channel)" }),
  ),
  chat_id: Schema.optionalKey(
    Schema.String.annotate({ description: "Target chat id (default: the current conversation's chat)" }),
  ),
  media: Schema.optionalKey(
    Schema.Array(Schema.String).annotate({ description: "Attachments: http(s) URLs or file paths in the workspace" }),
  ),
})

const isUrl = (value: string) => /^https?:\/\//i.test(value)

export const messageTool = (
  paths: WorkspacePaths,
): Effect.Effect<Tool, never, MessageBus | FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const bus = yield* MessageBus
    const fs = yield* FileSystem.FileSystem

    const resolveMedia = (item: string) =>
      isUrl(item) ? Effect.succeed<MediaRef>({ url: item }) : paths.resolve(item).pipe(
        Effect.flatMap((file) =>
          fs.exists(file).pipe(
            Effect.orElseSucceed(() => false),
            Effect.flatMap((exists) =>
              exists
                ? Effect.succeed<MediaRef>({ url: file })
                : Effect.fail(new ToolError({ message: `Attachment not found: ${item}` }))
            ),
          )
        ),
      )

    return makeTool({
      name: "message",
      description: "Send a message to the user now, or to another chat (channel + chat_id). " +
        "Use it for progress updates or to reach a different conversation; your final answer is sent anyway.",
      parameters: MessageParameters,
      execute: Effect.fn("message")(function* ({ content, channel, chat_id, media }, context) {
        const targetChannel = channel ?? context.channel
        if (targetChannel !== context.channel && chat_id === undefined) {
          return yield* new ToolError({ message: `chat_id is required to send to another channel (${targetChannel})` })
        }
        const chatId = chat_id ?? context.chatId
        const isCurrentChat = targetChannel === context.channel && chatId === context.chatId
        const attachments = media === undefined ? [] : yield* Effect.forEach(media, resolveMedia)
        const message: OutboundMessage = {
          id: crypto.randomUUID(),
          channel: targetChannel,
          chatId,
          kind: "push",
          content,
          ...(targetChannel === context.channel && context.accountId !== undefined
            ? { accountId: context.accountId }
            : {}),
          ...(isCurrentChat && context.messageId !== undefined ? { replyTo: context.messageId } : {}),
          ...(attachments.length > 0 ? { media: attachments } : {}),
        }
        yield* bus.publishOutbound(message)
        context.delivered.add(`${targetChannel}:${chatId}`)
        return `Message sent to ${targetChannel}:${chatId}`
      }),
    })
  })
