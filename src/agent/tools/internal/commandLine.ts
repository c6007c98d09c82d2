/**
 * Splits a command into argv without a shell, for exec when `tools.exec.allowedCommands` is set. Quoting and
 * escapes follow POSIX shell words (via `shell-quote`); anything only a shell would act on — operators, redirects,
 * substitutions, variables, globs, comments, backticks, newlines — is refused rather than passed on literally, so
 * the model is told its command cannot run as written.
 */
// @ts-types="@types/shell-quote"
import { parse } from "shell-quote"

export type SplitCommand =
  | { readonly _tag: "Argv"; readonly argv: ReadonlyArray<string> }
  | { readonly _tag: "Refused"; readonly reason: string }

const refused = (reason: string): SplitCommand => ({ _tag: "Refused", reason })

export const splitCommand = (command: string): SplitCommand => {
  if (command.includes("`")) return refused("backticks (command substitution)")
  if (/[\r\n]/.test(command)) return refused("a line break (several commands)")
  let variable: string | undefined
  const tokens = parse(command, (name: string) => {
    variable ??= name
    return ""
  })
  if (variable !== undefined) return refused(variable === "" ? "$ (substitution)" : `the variable $${variable}`)
  const argv: Array<string> = []
  for (const token of tokens) {
    if (typeof token === "string") {
      argv.push(token)
    } else if ("op" in token) {
      return refused(token.op === "glob" ? `the glob ${token.pattern}` : `the shell operator ${token.op}`)
    } else {
      return refused("a # comment")
    }
  }
  return argv.length === 0 ? refused("an empty command") : { _tag: "Argv", argv }
}
