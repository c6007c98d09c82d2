/**
 * `write_file(path, content)`: writes a whole file, creating missing parent directories, and reports how many
 * bytes were written so the model can tell an empty write from a real one.
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Path from "effect/Path"
import * as Schema from "effect/Schema"
import { makeTool, type Tool } from "./Tool.ts"
import { fileError, type WorkspacePaths } from "./workspacePath.ts"

const WriteFileParameters = Schema.Struct({
  path: Schema.String.annotate({
    description: "File to write: relative to the workspace, absolute, or starting with ~",
  }),
  content: Schema.String.annotate({ description: "The complete new content of the file" }),
})

export const writeFileTool = (
  paths: WorkspacePaths,
): Effect.Effect<Tool, never, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    return makeTool({
      name: "write_file",
      description:
        "Write a file, replacing it if it exists. Creates parent directories. Use edit_file to change part of a file.",
      parameters: WriteFileParameters,
      execute: Effect.fn("write_file")(function* ({ path: input, content }) {
        const target = yield* paths.resolve(input)
        const bytes = new TextEncoder().encode(content)
        yield* fs.makeDirectory(path.dirname(target), { recursive: true }).pipe(
          Effect.mapError(fileError(path.dirname(input), "create directory")),
        )
        yield* fs.writeFile(target, bytes).pipe(Effect.mapError(fileError(input, "write")))
        return `Wrote ${bytes.length} bytes to ${input}`
      }),
    })
  })
