/**
 * `read_file(path)`: the text of a file. Reads at most `READ_FILE_MAX_BYTES` and says so when the file is larger,
 * so one call cannot flood the context; refuses directories and binary files with a message that says what to do.
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { makeTool, type Tool, ToolError } from "./Tool.ts"
import { fileError, type WorkspacePaths } from "./workspacePath.ts"

export const READ_FILE_MAX_BYTES = 128 * 1024

const BINARY_SNIFF_BYTES = 8192

const ReadFileParameters = Schema.Struct({
  path: Schema.String.annotate({
    description: "File to read: relative to the workspace, absolute, or starting with ~",
  }),
})

const concat = (chunks: ReadonlyArray<Uint8Array>) => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

/** Decodes UTF-8, keeping a multi-byte character cut at the end out; `undefined` for binary content. */
const decodeText = (bytes: Uint8Array): string | undefined => {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return undefined
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true })
  } catch {
    return undefined
  }
}

export const readFileTool = (paths: WorkspacePaths): Effect.Effect<Tool, never, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    return makeTool({
      name: "read_file",
      description: `Read a text file. Relative paths resolve against the workspace. Returns at most ${
        READ_FILE_MAX_BYTES / 1024
      } KB; larger files are truncated with a note.`,
      parameters: ReadFileParameters,
      execute: Effect.fn("read_file")(function* ({ path: input }) {
        const target = yield* paths.resolve(input)
        const info = yield* fs.stat(target).pipe(Effect.mapError(fileError(input, "read")))
        if (info.type === "Directory") {
          return yield* new ToolError({ message: `${input} is a directory; use list_dir to see its entries` })
        }
        if (info.type !== "File") return yield* new ToolError({ message: `${input} is not a regular file` })
        const size = Number(info.size)
        const chunks = yield* fs.stream(target, { bytesToRead: READ_FILE_MAX_BYTES }).pipe(
          Stream.runCollect,
          Effect.mapError(fileError(input, "read")),
        )
        const bytes = concat(chunks)
        if (bytes.length === 0) return `(${input} is empty)`
        const text = decodeText(bytes)
        if (text === undefined) {
          return yield* new ToolError({
            message: `${input} looks like a binary file (${size} bytes); read_file only returns text`,
          })
        }
        return size > bytes.length
          ? `${text}\n\n[Truncated: showing the first ${bytes.length} of ${size} bytes of ${input}.]`
          : text
      }),
    })
  })
