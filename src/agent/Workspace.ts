/**
 * The agent's workspace: where its instructions (AGENTS.md, SOUL.md, …), memory and skills live. `ensure` writes
 * the bundled templates for every file that is missing and never overwrites what the user changed.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as Path from "effect/Path"
import { fileURLToPath } from "node:url"
import { AppConfig } from "../config/AppConfig.ts"

export const TEMPLATE_FILES = [
  "AGENTS.md",
  "SOUL.md",
  "USER.md",
  "TOOLS.md",
  "HEARTBEAT.md",
  "memory/MEMORY.md",
  "memory/HISTORY.md",
] as const

/** The bundled templates, next to this module (embedded in the compiled binary). */
export const templatesDir = fileURLToPath(new URL("./templates/", import.meta.url))

export class Workspace extends Context.Service<Workspace, {
  readonly root: string
  /** Creates the workspace and any missing template files; returns the files it wrote. */
  readonly ensure: Effect.Effect<ReadonlyArray<string>>
  readonly memoryFile: string
  readonly historyFile: string
  readonly skillsDir: string
}>()("claw/agent/Workspace") {
  static readonly layer = Layer.effect(
    Workspace,
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const { workspace: root } = yield* AppConfig
      const ensure = Effect.gen(function* () {
        const written: Array<string> = []
        yield* fs.makeDirectory(path.join(root, "skills"), { recursive: true })
        for (const file of TEMPLATE_FILES) {
          const target = path.join(root, file)
          if (yield* fs.exists(target)) continue
          yield* fs.makeDirectory(path.dirname(target), { recursive: true })
          yield* fs.copyFile(path.join(templatesDir, file), target)
          written.push(file)
        }
        return written as ReadonlyArray<string>
      }).pipe(
        Effect.tapError((error) => Effect.logWarning(`Could not prepare the workspace ${root}: ${error.message}`)),
        Effect.orElseSucceed((): ReadonlyArray<string> => []),
        Effect.withSpan("Workspace.ensure"),
      )
      return Workspace.of({
        root,
        ensure,
        memoryFile: path.join(root, "memory", "MEMORY.md"),
        historyFile: path.join(root, "memory", "HISTORY.md"),
        skillsDir: path.join(root, "skills"),
      })
    }),
  )
}
