/**
 * Which confinement the tools run under, decided once at startup and shown by `claw status`:
 * - file and web tools run in a Deno Worker with narrowed permissions (`worker`, the default), or in the gateway
 *   process (`in-process`, for runtimes without worker permissions: `CLAW_TOOL_SANDBOX=in-process`);
 * - `exec` runs under `bwrap`, else `unshare`, when one of them works here (probed by running it once), else
 *   unconfined. `CLAW_EXEC_SANDBOX=bwrap|unshare|none` forces the choice. The probe confines `true` with the same
 *   kinds of mounts, so it needs neither the workspace nor write access.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as Path from "effect/Path"
import * as ChildProcess from "effect/process/ChildProcess"
import * as ChildProcessSpawner from "effect/process/ChildProcessSpawner"
import { AppConfig } from "../../config/AppConfig.ts"
import { Environment } from "../../platform/Environment.ts"
import { isExecEnabled } from "./ExecTool.ts"
import {
  type ConfinementPlan,
  describeConfinement,
  type ExecWrapper,
  RESTRICTED_HIDDEN_DIRS,
  RESTRICTED_HIDDEN_FILES,
  wrapCommand,
} from "./internal/execConfinement.ts"

export type FileConfinement = "worker" | "in-process"

export interface ToolSandboxShape {
  readonly files: FileConfinement
  /** The program that confines exec, if any. */
  readonly execWrapper: { readonly kind: ExecWrapper; readonly path: string } | undefined
  readonly execPlan: ConfinementPlan
  /** Human-readable lines for `claw status`. */
  readonly describe: ReadonlyArray<string>
}

const WRAPPERS: ReadonlyArray<ExecWrapper> = ["bwrap", "unshare"]
const DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"

const probe = (
  spawner: ChildProcessSpawner.ChildProcessSpawner["Service"],
  kind: ExecWrapper,
  plan: ConfinementPlan,
  pathVar: string,
) =>
  Effect.gen(function* () {
    const trial: ConfinementPlan = { ...plan, workspace: "/tmp", hideDirs: [], hideFiles: [] }
    const { args, program } = wrapCommand({ kind, path: kind }, trial, "/tmp", "true", [])
    const code = yield* spawner.exitCode(
      ChildProcess.make(program, [...args], { cwd: "/", stdin: "ignore", env: { PATH: pathVar }, extendEnv: false }),
    )
    return code === 0
  }).pipe(Effect.timeout("5 seconds"), Effect.orElseSucceed(() => false))

export class ToolSandbox extends Context.Service<ToolSandbox, ToolSandboxShape>()("claw/agent/tools/ToolSandbox") {
  static readonly layer = Layer.effect(
    ToolSandbox,
    Effect.gen(function* () {
      const app = yield* AppConfig
      const env = yield* Environment
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const spawner = yield* ChildProcessSpawner.ChildProcessSpawner
      const tools = app.config.tools
      const restricted = tools.restrictToWorkspace
      const workspace = yield* fs.realPath(app.workspace).pipe(Effect.orElseSucceed(() => app.workspace))
      const configOutside = !app.path.startsWith(app.home + path.sep)
      const plan: ConfinementPlan = {
        workspace,
        restricted,
        hideDirs: restricted ? [...RESTRICTED_HIDDEN_DIRS, env.homeDir, app.home] : [app.home],
        hideFiles: [...(configOutside ? [app.path] : []), ...(restricted ? RESTRICTED_HIDDEN_FILES : [])],
      }
      const files: FileConfinement = env.get("CLAW_TOOL_SANDBOX") === "in-process" ? "in-process" : "worker"
      const forced = env.get("CLAW_EXEC_SANDBOX")
      const candidates = forced === "none" ? [] : WRAPPERS.filter((kind) => forced === undefined || forced === kind)
      let execWrapper: ToolSandboxShape["execWrapper"]
      if (isExecEnabled(tools) && env.os === "linux") {
        for (const kind of candidates) {
          if (yield* probe(spawner, kind, plan, env.get("PATH") ?? DEFAULT_PATH)) {
            execWrapper = { kind, path: kind }
            break
          }
        }
      }
      return ToolSandbox.of(ToolSandbox.describeWith({ files, execWrapper, execPlan: plan }, isExecEnabled(tools)))
    }),
  )

  /** `claw status`'s section: which confinement each kind of tool runs under. */
  static readonly statusLines = ToolSandbox.use((sandbox) =>
    Effect.succeed(["Tool sandbox:", ...sandbox.describe.map((line) => `  ${line}`)])
  )

  /** A fixed sandbox (tests, or callers that decided already). */
  static readonly make = (
    shape: Omit<ToolSandboxShape, "describe">,
    execEnabled: boolean,
  ): Layer.Layer<ToolSandbox> =>
    Layer.succeed(ToolSandbox, ToolSandbox.of(ToolSandbox.describeWith(shape, execEnabled)))

  static readonly describeWith = (shape: Omit<ToolSandboxShape, "describe">, execEnabled: boolean) => ({
    ...shape,
    describe: [
      `file & web tools  ${
        shape.files === "worker"
          ? shape.execPlan.restricted
            ? `Deno worker: reads and writes only ${shape.execPlan.workspace}, no env, no subprocesses`
            : "Deno worker: no env, no subprocesses; files: whatever the gateway may (tools.restrictToWorkspace is false)"
          : "in the gateway process (CLAW_TOOL_SANDBOX=in-process): path checks only"
      }`,
      `exec              ${
        execEnabled
          ? describeConfinement(shape.execWrapper?.kind, shape.execPlan.restricted)
          : "disabled" + (shape.execPlan.restricted ? " (tools.restrictToWorkspace; set tools.exec.enabled)" : "")
      }`,
    ],
  })
}
