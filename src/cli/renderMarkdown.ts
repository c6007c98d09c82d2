/**
 * Markdown for the terminal (marked + marked-terminal), loaded only when a reply is rendered so other commands
 * start fast.
 */
import * as Effect from "effect/Effect"

export const renderMarkdown = (text: string) =>
  Effect.tryPromise(async () => {
    const [{ Marked }, { markedTerminal }] = await Promise.all([import("marked"), import("marked-terminal")])
    const marked = new Marked(markedTerminal() as never)
    return String(await marked.parse(text)).trimEnd()
  }).pipe(Effect.orElseSucceed(() => text))
