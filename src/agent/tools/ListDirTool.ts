/**
 * `list_dir(path)`: the entries of a directory, sorted by name, directories marked with a trailing `/` (links are
 * followed, so a link to a directory reads as one). Long listings are cut with a note.
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Path from "effect/Path"
import * as Schema from "effect/Schema"
import { makeTool, type Tool, ToolError } from "./Tool.ts"
import { fileError, type WorkspacePaths } from "./workspacePath.ts"

export const LIST_DIR_MAX_ENTRIES = 1000

const ListDirParameters = Schema.Struct({
  path: Schema.String.annotate({
    description: 'Directory to list: relative to the workspace ("." for the workspace itself), absolute, or ~',
  }),
})

export const listDirTool = (paths: WorkspacePaths): Effect.Effect<Tool, never, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    return makeTool({
      name: "list_dir",
      description: "List a directory. Entries are sorted; directories end with /.",
      parameters: ListDirParameters,
      execute: Effect.fn("list_dir")(function* ({ path: input }) {
        const target = yield* paths.resolve(input)
        const info = yield* fs.stat(target).pipe(
          Effect.mapError((error) =>
            error.reason._tag === "NotFound"
              ? new ToolError({ message: `Directory not found: ${input}` })
              : fileError(input, "list")(error)
          ),
        )
        if (info.type !== "Directory") {
          return yield* new ToolError({ message: `${input} is not a directory; use read_file to read it` })
        }
        const names = yield* fs.readDirectory(target).pipe(Effect.mapError(fileError(input, "list")))
        if (names.length === 0) return `(${input} is empty)`
        const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        const shown = sorted.slice(0, LIST_DIR_MAX_ENTRIES)
        const entries = yield* Effect.forEach(
          shown,
          (name) =>
            fs.stat(path.join(target, name)).pipe(
              Effect.map((entry) => (entry.type === "Directory" ? `${name}/` : name)),
              Effect.orElseSucceed(() => name),
            ),
          { concurrency: 16 },
        )
        const more = sorted.length - shown.length
        return more > 0 ? `${entries.join("\n")}\n[... ${more} more entries not shown]` : entries.join("\n")
      }),
    })
  })
