/**
 * Slash commands understood in every chat: `/new`, `/stop`, `/help`.
 */
export type SlashCommand = "/new" | "/stop" | "/help"

const COMMANDS: ReadonlySet<string> = new Set(["/new", "/stop", "/help"])

/** The command a message consists of, if any (`/stop`, `/STOP `, `/stop@botname` all count). */
export const parseCommand = (content: string): SlashCommand | undefined => {
  const first = content.trim().split(/\s+/)[0]?.toLowerCase().replace(/@.*$/, "") ?? ""
  return COMMANDS.has(first) && content.trim().split(/\s+/).length === 1 ? first as SlashCommand : undefined
}

export const HELP_TEXT = [
  "claw commands:",
  "/new - start a new conversation (the current one is archived to memory)",
  "/stop - stop the task that is running in this chat",
  "/help - show this help",
].join("\n")
