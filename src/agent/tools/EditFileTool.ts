/**
 * `edit_file(path, old_text, new_text)`: replaces one exact, unique occurrence. A miss shows the most similar region
 * of the file (with line numbers and the first differing line) so the model can correct its snippet instead of
 * guessing; several matches are refused with their line numbers and a request for more context.
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Schema from "effect/Schema"
import { type ClosestMatch, findClosestMatch } from "./internal/closestMatch.ts"
import { makeTool, type Tool, ToolError } from "./Tool.ts"
import { fileError, type WorkspacePaths } from "./workspacePath.ts"

/** Below this similarity the closest region is not worth showing. */
const MIN_SIMILARITY = 0.4
const MAX_LISTED_MATCHES = 10

const EditFileParameters = Schema.Struct({
  path: Schema.String.annotate({
    description: "File to edit: relative to the workspace, absolute, or starting with ~",
  }),
  old_text: Schema.String.annotate({
    description: "Exact text to replace, including whitespace; must occur exactly once in the file",
  }),
  new_text: Schema.String.annotate({ description: "Text to put in its place" }),
})

const occurrences = (content: string, needle: string): Array<number> => {
  const found: Array<number> = []
  for (let at = content.indexOf(needle); at !== -1; at = content.indexOf(needle, at + 1)) found.push(at)
  return found
}

const lineOf = (content: string, offset: number) => content.slice(0, offset).split("\n").length

const describeMiss = (input: string, match: ClosestMatch | undefined, oldLines: ReadonlyArray<string>) => {
  if (match === undefined || match.similarity < MIN_SIMILARITY) {
    return `old_text was not found in ${input}, and no similar region exists. Read the file again before editing.`
  }
  const numbered = match.lines.map((line, i) => `${match.startLine + i}| ${line}`).join("\n")
  const range = match.startLine === match.endLine
    ? `line ${match.startLine}`
    : `lines ${match.startLine}-${match.endLine}`
  const percent = Math.round(match.similarity * 100)
  const detail = match.whitespaceOnly
    ? "It differs only in whitespace or indentation."
    : match.firstDifference === undefined
    ? ""
    : `First difference at line ${match.startLine + match.firstDifference}:\n  expected: ${
      JSON.stringify(oldLines[match.firstDifference] ?? "")
    }\n  found:    ${JSON.stringify(match.lines[match.firstDifference] ?? "")}`
  return `old_text was not found in ${input}. The closest match (${range}, ${percent}% similar) is:\n${numbered}\n${detail}`
    .trimEnd()
}

export const editFileTool = (paths: WorkspacePaths): Effect.Effect<Tool, never, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    return makeTool({
      name: "edit_file",
      description:
        "Replace one exact occurrence of old_text with new_text in a file. old_text must match exactly once, " +
        "including whitespace; when it does not, the closest matching region is shown.",
      parameters: EditFileParameters,
      execute: Effect.fn("edit_file")(function* ({ path: input, old_text, new_text }) {
        if (old_text === "") return yield* new ToolError({ message: "old_text is empty; use write_file instead" })
        const target = yield* paths.resolve(input)
        const info = yield* fs.stat(target).pipe(Effect.mapError(fileError(input, "read")))
        if (info.type !== "File") return yield* new ToolError({ message: `${input} is not a regular file` })
        const content = yield* fs.readFileString(target).pipe(Effect.mapError(fileError(input, "read")))
        let [oldText, newText] = [old_text, new_text]
        let found = occurrences(content, oldText)
        if (found.length === 0 && content.includes("\r\n") && oldText.includes("\n") && !oldText.includes("\r\n")) {
          ;[oldText, newText] = [oldText.replaceAll("\n", "\r\n"), newText.replaceAll("\n", "\r\n")]
          found = occurrences(content, oldText)
        }
        if (found.length === 0) {
          return yield* new ToolError({
            message: describeMiss(input, findClosestMatch(content, old_text), old_text.split(/\r?\n/)),
          })
        }
        if (found.length > 1) {
          const lines = found.slice(0, MAX_LISTED_MATCHES).map((at) => lineOf(content, at)).join(", ")
          return yield* new ToolError({
            message: `old_text appears ${found.length} times in ${input} (at lines ${lines}${
              found.length > MAX_LISTED_MATCHES ? ", ..." : ""
            }). Include more surrounding lines so it matches exactly once.`,
          })
        }
        const at = found[0]!
        const updated = content.slice(0, at) + newText + content.slice(at + oldText.length)
        yield* fs.writeFileString(target, updated).pipe(Effect.mapError(fileError(input, "write")))
        return `Edited ${input} (line ${lineOf(content, at)})`
      }),
    })
  })
