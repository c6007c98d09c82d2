/**
 * The one model call of a memory consolidation: the prompt (current MEMORY.md plus the messages to fold in, as a
 * dated transcript), the `save_memory(history_entry, memory_update)` tool the model must call, and the decoding of
 * its arguments. A reply without that call, or with arguments that do not decode, is a failed consolidation.
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type { ChatMessage, ToolCall, ToolSpec } from "../../providers/LlmProvider.ts"
import type { StoredMessage } from "../../sessions/SessionStore.ts"
import { formatStamp } from "../../platform/zonedTime.ts"

export const SAVE_MEMORY = "save_memory"

const TOOL_RESULT_CHARS = 800
const MESSAGE_CHARS = 4_000

export const saveMemorySpec: ToolSpec = {
  name: SAVE_MEMORY,
  description: "Save the consolidated memory: one history entry and the complete updated long-term memory.",
  parameters: {
    type: "object",
    properties: {
      history_entry: {
        type: "string",
        description: "A paragraph (2-5 sentences) summarising the key events, decisions and topics, starting with " +
          "[YYYY-MM-DD HH:MM]. Include names, numbers and other details that make it easy to find with grep.",
      },
      memory_update: {
        type: "string",
        description: "The complete updated long-term memory as Markdown: every existing fact that still holds plus " +
          "the new ones. Return the current memory unchanged when there is nothing new.",
      },
    },
    required: ["history_entry", "memory_update"],
  },
}

const clip = (text: string, limit: number) => text.length <= limit ? text : `${text.slice(0, limit)}… [truncated]`

const transcriptLine = (message: StoredMessage, timeZone: string) => {
  const stamp = `[${formatStamp(message.timestamp, timeZone)}]`
  const content = message.content ?? ""
  switch (message.role) {
    case "tool":
      return `${stamp} TOOL RESULT (${message.name ?? "tool"}): ${clip(content, TOOL_RESULT_CHARS)}`
    case "assistant": {
      const tools = message.toolCalls?.map((call) => call.name) ?? []
      const used = tools.length > 0 ? ` [used tools: ${tools.join(", ")}]` : ""
      return `${stamp} ASSISTANT${used}: ${clip(content, MESSAGE_CHARS)}`
    }
    default:
      return `${stamp} ${message.role.toUpperCase()}: ${clip(content, MESSAGE_CHARS)}`
  }
}

/** The messages of the consolidation request. */
export const consolidationMessages = (
  currentMemory: string,
  messages: ReadonlyArray<StoredMessage>,
  timeZone: string,
): ReadonlyArray<ChatMessage> => [
  {
    role: "system",
    content: "You are the memory consolidation agent of claw, a personal AI assistant. You read a finished part " +
      `of a conversation and call the ${SAVE_MEMORY} tool exactly once. Do not answer with text: a reply without ` +
      `the ${SAVE_MEMORY} tool call is discarded.`,
  },
  {
    role: "user",
    content: [
      `Consolidate the conversation below, then call ${SAVE_MEMORY} with:`,
      "- history_entry: a short dated summary for the history log (HISTORY.md), starting with the date and time " +
      `of the first message, e.g. [${formatStamp(messages[0]?.timestamp ?? 0, timeZone)}].`,
      "- memory_update: the whole new long-term memory (MEMORY.md): keep every fact that still holds, add lasting " +
      "facts about the user, their preferences, projects and decisions, drop what became false. No chit-chat.",
      "",
      "## Current long-term memory (MEMORY.md)",
      currentMemory.trim() === "" ? "(empty)" : currentMemory.trim(),
      "",
      "## Conversation to consolidate",
      ...messages.map((message) => transcriptLine(message, timeZone)),
    ].join("\n"),
  },
]

const SaveMemoryArgs = Schema.fromJsonString(Schema.Struct({
  history_entry: Schema.String.pipe(Schema.check(Schema.isMinLength(1))),
  memory_update: Schema.optionalKey(Schema.String),
}))

const decodeArgs = Schema.decodeUnknownResult(SaveMemoryArgs)

export interface SavedMemory {
  readonly historyEntry: string
  /** Undefined when the model left the memory as it was. */
  readonly memoryUpdate: string | undefined
}

const STAMPED = /^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}\]/

/** The decoded `save_memory` call of a reply (history entry stamped with `stamp` when it has no date), or why not. */
export const readSaveMemory = (
  toolCalls: ReadonlyArray<ToolCall>,
  stamp: string,
): Result.Result<SavedMemory, string> => {
  const call = toolCalls.find((candidate) => candidate.name === SAVE_MEMORY)
  if (call === undefined) return Result.fail(`the model answered without calling ${SAVE_MEMORY}`)
  const decoded = decodeArgs(call.arguments)
  if (Result.isFailure(decoded)) return Result.fail(`invalid ${SAVE_MEMORY} arguments: ${decoded.failure.message}`)
  const entry = decoded.success.history_entry.trim()
  if (entry === "") return Result.fail(`${SAVE_MEMORY} got an empty history_entry`)
  return Result.succeed({
    historyEntry: STAMPED.test(entry) ? entry : `[${stamp}] ${entry}`,
    memoryUpdate: decoded.success.memory_update,
  })
}
