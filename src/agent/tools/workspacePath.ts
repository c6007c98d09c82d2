/**
 * Where a tool's path argument points. Relative paths resolve against the workspace and `~` expands to the home
 * directory. With `tools.restrictToWorkspace`, the real path (symlinks followed, also through the parents of a file
 * that does not exist yet and through dangling links) must lie inside the workspace's real path, and the tool then
 * works on that real path, so a link swapped in later cannot redirect it. This is the in-process check; the
 * runtime's permission sandbox is the other layer.
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Path from "effect/Path"
import type * as PlatformError from "effect/PlatformError"
import { AppConfig, expandHome } from "../../config/AppConfig.ts"
import { Environment } from "../../platform/Environment.ts"
import { ToolError } from "./Tool.ts"

export interface WorkspacePaths {
  readonly workspace: string
  readonly restricted: boolean
  /**
   * The absolute path a tool should work on for `input`. Fails with `ToolError`
   * "Access denied: <input> is outside the workspace" when restricted and the real path leaves the workspace.
   */
  readonly resolve: (input: string) => Effect.Effect<string, ToolError>
}

const MAX_LINKS = 40

/** Builds the path policy from `AppConfig`. */
export const makeWorkspacePaths: Effect.Effect<
  WorkspacePaths,
  never,
  AppConfig | FileSystem.FileSystem | Path.Path | Environment
> = Effect.gen(function* () {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const env = yield* Environment
  const { config, workspace } = yield* AppConfig
  const restricted = config.tools.restrictToWorkspace

  const realPathOf = (target: string, links: number): Effect.Effect<string, ToolError> =>
    fs.realPath(target).pipe(
      Effect.catch(() =>
        fs.readLink(target).pipe(
          Effect.matchEffect({
            onSuccess: (link) =>
              links >= MAX_LINKS
                ? Effect.fail(new ToolError({ message: `Too many levels of symbolic links at ${target}` }))
                : realPathOf(path.resolve(path.dirname(target), link), links + 1),
            onFailure: () => {
              const parent = path.dirname(target)
              return parent === target
                ? Effect.succeed(target)
                : realPathOf(parent, links).pipe(Effect.map((real) => path.join(real, path.basename(target))))
            },
          }),
        )
      ),
    )

  const isInside = (root: string, candidate: string) =>
    candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep)

  const resolve = Effect.fn("WorkspacePaths.resolve")(function* (input: string) {
    if (input.trim() === "") return yield* new ToolError({ message: "The path is empty" })
    const absolute = path.resolve(workspace, expandHome(input, env.homeDir))
    if (!restricted) return absolute
    const root = yield* realPathOf(path.resolve(workspace), 0)
    const real = yield* realPathOf(absolute, 0)
    if (!isInside(root, real)) {
      return yield* new ToolError({ message: `Access denied: ${input} is outside the workspace` })
    }
    return real
  })

  return { workspace, restricted, resolve }
})

/** Turns a file system failure into a message that names the path as the model wrote it. */
export const fileError = (input: string, action: string) => (error: PlatformError.PlatformError): ToolError => {
  const reason = error.reason
  const message = reason._tag === "NotFound"
    ? `File not found: ${input}`
    : reason._tag === "PermissionDenied"
    ? `Permission denied: cannot ${action} ${input}`
    : `Cannot ${action} ${input}: ${error.message}`
  return new ToolError({ message })
}
