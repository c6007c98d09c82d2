/**
 * The body of `claw agent`: `-m "…"` sends one message and prints the reply (non-zero exit on failure); `claw agent` is an
 * interactive chat that ends on exit, quit, /exit, /quit, :q or Ctrl+D.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Terminal from "effect/Terminal"
import { Workspace } from "../../agent/Workspace.ts"
import type { OutboundMessage } from "../../bus/Messages.ts"
import { Environment } from "../../platform/Environment.ts"
import { ask, backgroundReplies, type CliSession, parseSessionKey } from "../chat.ts"
import { CliFailure } from "../CliFailure.ts"
import { agentLayer } from "../layers.ts"
import { renderMarkdown } from "../renderMarkdown.ts"
import { runCommand } from "../runCommand.ts"

const EXIT_WORDS = new Set(["exit", "quit", "/exit", "/quit", ":q"])

export interface AgentInput {
  readonly message: Option.Option<string>
  readonly session: string
  readonly markdown: boolean
  readonly logs: boolean
}

const interactiveSession = (session: CliSession, show: (text: string) => Effect.Effect<void>) =>
  Effect.gen(function* () {
    const terminal = yield* Terminal.Terminal
    const asked = new Set<string>()
    yield* backgroundReplies(
      session,
      asked,
      (message) =>
        message.kind === "error" ? Console.error(`\nError: ${message.content}`) : show(`\n${message.content}`),
    )
    yield* Console.log("claw interactive chat. Type exit, quit or :q (or press Ctrl+D) to leave; /help for commands.")
    while (true) {
      yield* terminal.display("\nYou: ")
      const line = yield* terminal.readLine.pipe(Effect.option)
      if (Option.isNone(line) || EXIT_WORDS.has(line.value.trim().toLowerCase())) return
      if (line.value.trim() === "") continue
      const id = crypto.randomUUID()
      asked.add(id)
      const reply = yield* ask(session, line.value, (push) => show(push.content), id)
      if (reply.kind === "error") yield* Console.error(`Error: ${reply.content}`)
      else if (reply.content !== "") yield* show(reply.content)
    }
  })

export const run = (input: AgentInput) =>
  runCommand(
    { defaultLevel: input.logs ? "Info" : "Warn", layer: agentLayer },
    Effect.gen(function* () {
      const env = yield* Environment
      const workspace = yield* Workspace
      yield* workspace.ensure
      const session = parseSessionKey(input.session)
      const render = input.markdown && env.stdoutIsTerminal
      const show = (text: string) =>
        (render ? renderMarkdown(text) : Effect.succeed(text)).pipe(Effect.flatMap((out) => Console.log(out)))
      if (Option.isNone(input.message)) return yield* Effect.scoped(interactiveSession(session, show))
      const reply: OutboundMessage = yield* ask(session, input.message.value, (push) => show(push.content))
      if (reply.kind === "error") {
        yield* Console.error(`Error: ${reply.content}`)
        return yield* new CliFailure({ message: reply.content })
      }
      yield* show(reply.content)
    }),
  )
