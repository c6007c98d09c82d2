/**
 * `exec(command, working_dir?)`: runs a command and returns its combined stdout/stderr (capped) and exit code.
 * Normally `sh -c` in the workspace; with `tools.exec.allowedCommands` set there is no shell at all: the command is
 * split into argv and only listed programs start. The child sees only PATH, HOME, LANG and TERM — never the
 * gateway's API keys. On timeout the whole process group is killed (SIGTERM, then SIGKILL) and the model is told.
 * When `ToolSandbox` found `bwrap` or `unshare`, the command runs confined (see `internal/execConfinement.ts`);
 * with `tools.restrictToWorkspace`, HOME is the workspace and no argument may name a path outside it.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FileSystem from "effect/FileSystem"
import * as Option from "effect/Option"
import * as Path from "effect/Path"
import * as ChildProcess from "effect/process/ChildProcess"
import * as ChildProcessSpawner from "effect/process/ChildProcessSpawner"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { AppConfig } from "../../config/AppConfig.ts"
import type { ToolsConfig } from "../../config/ConfigSchema.ts"
import { Environment } from "../../platform/Environment.ts"
import { splitCommand } from "./internal/commandLine.ts"
import { wrapCommand } from "./internal/execConfinement.ts"
import { makeTool, type Tool, ToolError } from "./Tool.ts"
import { ToolSandbox } from "./ToolSandbox.ts"
import { fileError, type WorkspacePaths } from "./workspacePath.ts"

export const EXEC_MAX_OUTPUT_CHARS = 10_000

const INHERITED_ENV = ["PATH", "HOME", "LANG", "TERM"] as const
/** How long to keep reading output after the command exited (a background child may hold the pipe open). */
const OUTPUT_GRACE = Duration.millis(500)

/** exec is on unless disabled, and off by default when tools are confined to the workspace. */
export const isExecEnabled = (tools: ToolsConfig) => tools.exec.enabled ?? !tools.restrictToWorkspace

const ExecParameters = Schema.Struct({
  command: Schema.String.annotate({ description: "The command line to run" }),
  working_dir: Schema.optionalKey(
    Schema.String.annotate({ description: "Directory to run in (default: the workspace)" }),
  ),
})

/** Collects output up to the cap while counting what was dropped, so the stream is always drained. */
const makeCollector = () => {
  const decoder = new TextDecoder()
  let kept = ""
  let dropped = 0
  return {
    push: (chunk: Uint8Array) => {
      const text = decoder.decode(chunk, { stream: true })
      const room = EXEC_MAX_OUTPUT_CHARS - kept.length
      kept += text.slice(0, Math.max(room, 0))
      dropped += Math.max(text.length - Math.max(room, 0), 0)
    },
    render: () => {
      const body = kept.trimEnd() === "" ? "(no output)" : kept.trimEnd()
      return dropped > 0 ? `${body}\n... [output truncated: ${dropped} more characters]` : body
    },
  }
}

export const execTool = (paths: WorkspacePaths): Effect.Effect<
  Tool,
  never,
  | AppConfig
  | Environment
  | FileSystem.FileSystem
  | Path.Path
  | ChildProcessSpawner.ChildProcessSpawner
  | ToolSandbox
> =>
  Effect.gen(function* () {
    const { config } = yield* AppConfig
    const env = yield* Environment
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const spawner = yield* ChildProcessSpawner.ChildProcessSpawner
    const sandbox = yield* ToolSandbox
    const { timeout, allowedCommands } = config.tools.exec
    const restricted = paths.restricted
    const childEnv = Object.fromEntries(INHERITED_ENV.flatMap((name) => {
      const value = name === "HOME" && restricted
        ? sandbox.execPlan.workspace
        : env.get(name) ?? (name === "HOME" ? env.homeDir : undefined)
      return value === undefined ? [] : [[name, value]]
    }))

    const make = (program: string, args: ReadonlyArray<string>, cwd: string) => {
      const options = { cwd, env: childEnv, extendEnv: false, stdin: "ignore", forceKillAfter: "2 seconds" } as const
      if (sandbox.execWrapper === undefined) return ChildProcess.make(program, [...args], options)
      const wrapped = wrapCommand(sandbox.execWrapper, sandbox.execPlan, cwd, program, args)
      return ChildProcess.make(wrapped.program, [...wrapped.args], options)
    }

    /** With restrictions, every argument that reads as a path must stay in the workspace (a second line of defence). */
    const checkArguments = (args: ReadonlyArray<string>, cwd: string) =>
      Effect.forEach(args, (arg) => {
        const value = arg.startsWith("-") && arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : arg
        if (!restricted || value === "") return Effect.void
        return paths.resolve(path.resolve(cwd, value)).pipe(
          Effect.asVoid,
          Effect.mapError(() =>
            new ToolError({
              message: `Command refused: the argument ${JSON.stringify(arg)} points outside the workspace ` +
                `(tools.restrictToWorkspace is true)`,
            })
          ),
        )
      }, { discard: true })

    /** An allowed name must mean the system's program, not a script of the same name the model wrote. */
    const checkProgram = (program: string) => {
      if (!program.includes("/")) return Effect.void
      const refuse = new ToolError({
        message: `Command refused: ${program} is not a system program; name allowed programs without a path`,
      })
      if (!path.isAbsolute(program)) return Effect.fail(refuse)
      return fs.realPath(program).pipe(
        Effect.orElseSucceed(() => program),
        Effect.flatMap((real) =>
          real.startsWith(sandbox.execPlan.workspace + path.sep) ? Effect.fail(refuse) : Effect.void
        ),
      )
    }

    const commandFor = (command: string, cwd: string) => {
      if (allowedCommands.length === 0) return Effect.succeed(make("sh", ["-c", command], cwd))
      const split = splitCommand(command)
      if (split._tag === "Refused") {
        return Effect.fail(
          new ToolError({
            message: `Command refused: it contains ${split.reason}, but commands run without a shell here ` +
              `(tools.exec.allowedCommands is set). Run one program with plain arguments.`,
          }),
        )
      }
      const [program, ...args] = split.argv as [string, ...Array<string>]
      const name = program.split("/").pop() ?? program
      if (!allowedCommands.includes(name)) {
        return Effect.fail(
          new ToolError({
            message: `Command refused: "${name}" is not in tools.exec.allowedCommands (${allowedCommands.join(", ")})`,
          }),
        )
      }
      return checkProgram(program).pipe(
        Effect.andThen(checkArguments(args, cwd)),
        Effect.as(make(program, args, cwd)),
      )
    }

    return makeTool({
      name: "exec",
      description:
        `Run a command ${
          allowedCommands.length === 0 ? "with sh -c" : `(no shell; allowed programs: ${allowedCommands.join(", ")})`
        } in the workspace and return its combined output and exit code. Times out after ${timeout} s; ` +
        `output is capped at ${EXEC_MAX_OUTPUT_CHARS} characters.`,
      parameters: ExecParameters,
      execute: Effect.fn("exec")(function* ({ command, working_dir }) {
        const dirInput = working_dir ?? "."
        const cwd = yield* paths.resolve(dirInput)
        const info = yield* fs.stat(cwd).pipe(Effect.mapError(fileError(dirInput, "use")))
        if (info.type !== "Directory") return yield* new ToolError({ message: `${dirInput} is not a directory` })
        const child = yield* commandFor(command, cwd)
        const output = makeCollector()
        const run = Effect.gen(function* () {
          const handle = yield* spawner.spawn(child)
          const reader = yield* handle.all.pipe(
            Stream.runForEach((chunk) => Effect.sync(() => output.push(chunk))),
            Effect.forkChild,
          )
          const exitCode = yield* handle.exitCode
          yield* Fiber.join(reader).pipe(Effect.timeout(OUTPUT_GRACE), Effect.ignore)
          return exitCode
        }).pipe(
          Effect.scoped,
          Effect.timeoutOption(Duration.seconds(timeout)),
          Effect.mapError((error) => new ToolError({ message: `Cannot run the command: ${error.message}` })),
        )
        const exitCode = yield* run
        return Option.match(exitCode, {
          onNone: () => `${output.render()}\n[Command timed out after ${timeout} s and was killed]`,
          onSome: (code) => `${output.render()}\n[exit code: ${code}]`,
        })
      }),
    })
  })
