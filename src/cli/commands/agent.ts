/**
 * `claw agent -m "…"` sends one message and prints the reply (non-zero exit on failure); `claw agent` is an
 * interactive chat that ends on exit, quit, /exit, /quit, :q or Ctrl+D.
 */
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as handlers from "../handlers/agent.ts"

const flags = {
  message: Flag.String("message").pipe(
    Flag.withAlias("m"),
    Flag.withDescription("Send one message, print the reply and exit"),
    Flag.optional,
  ),
  session: Flag.String("session").pipe(
    Flag.withAlias("s"),
    Flag.withDescription("Session key, <channel>:<chat id>"),
    Flag.withDefault("cli:direct"),
  ),
  markdown: Flag.Boolean("markdown").pipe(
    Flag.withDescription("Render Markdown replies for the terminal (--no-markdown for plain text)"),
    Flag.withDefault(true),
  ),
  logs: Flag.Boolean("logs").pipe(Flag.withDescription("Show runtime logs while chatting"), Flag.withDefault(false)),
}

export const agentCommand = Command.make(
  "agent",
  flags,
  (input) => handlers.run(input),
).pipe(
  Command.withDescription("Chat with the agent: one message with -m, or an interactive session"),
  Command.withExamples([
    { command: 'claw agent -m "What is 2+2?"', description: "Ask once and print the answer" },
    { command: "claw agent --no-markdown", description: "Interactive chat with plain-text replies" },
  ]),
)
