/**
 * The narrowest Deno permission flags a configured gateway needs, each with the reason it is there. Pure: the
 * caller supplies the loaded config, the variables set in the environment and which exec wrappers work here.
 * `claw permissions` prints it, `scripts/start.ts` runs the gateway with exactly these flags.
 */
import type { AppConfigShape } from "../../config/AppConfig.ts"
import { isExecEnabled } from "../../agent/tools/ExecTool.ts"
import { appReadPaths } from "./appPaths.ts"
import { envNeeds } from "./envAccess.ts"
import { deniedNets, netNeeds } from "./netAccess.ts"

export interface ProfileInput {
  readonly app: Pick<AppConfigShape, "config" | "path" | "home" | "workspace">
  readonly env: (name: string) => string | undefined
  /** Names of the variables set now (to find CLAW_…__… overrides). */
  readonly presentEnv: ReadonlyArray<string>
  readonly os: string
  /** `bwrap` / `unshare` when they work on this machine. */
  readonly execWrappers: ReadonlyArray<string>
  readonly nodeModules: boolean
  /** Grant only the hosts the config names: web_fetch and web_search can then reach nothing else. */
  readonly strictNet?: boolean
}

export interface Grant {
  readonly flag: string
  readonly why: string
}

export interface PermissionProfile {
  readonly grants: ReadonlyArray<Grant>
  readonly notes: ReadonlyArray<string>
}

/** Flags every gateway run gets besides permissions. */
export const RUNTIME_FLAGS: ReadonlyArray<Grant> = [
  { flag: "--no-prompt", why: "a missing permission is an error that says what to grant, never a prompt" },
  { flag: "--unstable-worker-options", why: "lets claw start the tool sandbox worker with narrowed permissions" },
]

const list = (values: ReadonlyArray<string>) => [...new Set(values)].join(",")

const isInside = (root: string, candidate: string) =>
  candidate === root || candidate.startsWith(`${root}/`) || candidate.startsWith(`${root}\\`)

export const permissionProfile = (input: ProfileInput): PermissionProfile => {
  const { config, home, path: configPath, workspace } = input.app
  const notes: Array<string> = []
  const grants: Array<Grant> = [...RUNTIME_FLAGS]
  const own = [home, ...[workspace, configPath].filter((p) => !isInside(home, p))]
  grants.push({
    flag: `--allow-read=${list([...own, ...appReadPaths(input.nodeModules)])}`,
    why: "CLAW_HOME (config, database, workspace), the config file and workspace when elsewhere, and claw's own " +
      "modules, packages and bundled skills (the tool worker loads its modules under these permissions)",
  })
  grants.push({
    flag: `--allow-write=${list([home, ...(isInside(home, workspace) ? [] : [workspace])])}`,
    why: "CLAW_HOME (database, workspace files) and the workspace",
  })
  const net = netNeeds(config, input.env)
  notes.push(...net.notes)
  const needed = net.needs.map((need) => `${need.address} (${need.why})`).join(", ")
  if (input.strictNet === true) {
    if (net.needs.length > 0) {
      grants.push({
        flag: `--allow-net=${list(net.needs.map((need) => need.address))}`,
        why: `${needed}; web_fetch and web_search can reach only these hosts`,
      })
    }
  } else {
    grants.push({
      flag: "--allow-net",
      why: `web_fetch fetches arbitrary public pages (in the tool worker); the gateway itself needs ${
        needed === "" ? "nothing else" : needed
      }. Use --strict-net to grant only those`,
    })
    const { denied, open } = deniedNets(net.needs)
    if (!config.tools.web.fetch.allowPrivateNetwork && denied.length > 0) {
      grants.push({
        flag: `--deny-net=${denied.join(",")}`,
        why: `private, loopback and link-local addresses the gateway does not use${
          open.length === 0
            ? ""
            : ` (${open.join(", ")} ${open.length === 1 ? "stays" : "stay"} open: the config uses it)`
        }; web_fetch's address policy refuses them by name too`,
      })
    }
  }
  const execEnabled = isExecEnabled(config.tools)
  const env = envNeeds(config, { os: input.os, present: input.presentEnv, execEnabled })
  grants.push({
    flag: env.names === undefined ? "--allow-env" : `--allow-env=${list(env.names)}`,
    why: env.reasons.join("; "),
  })
  const run: Array<string> = []
  const runWhy: Array<string> = []
  if (execEnabled) {
    const { allowedCommands } = config.tools.exec
    run.push(...input.execWrappers, ...(allowedCommands.length > 0 ? allowedCommands : ["sh"]))
    runWhy.push(
      allowedCommands.length > 0
        ? `exec may start ${allowedCommands.join(", ")}`
        : "exec runs commands with sh -c: sh can start any program, so an empty tools.exec.allowedCommands means " +
          "exec can run anything your user can (list programs there to narrow it)",
    )
    if (input.execWrappers.length > 0) runWhy.push(`${input.execWrappers.join(" or ")} confines exec commands`)
  } else {
    notes.push("No --allow-run: exec is disabled (tools.exec.enabled, or tools.restrictToWorkspace)")
  }
  const mcpCommands = Object.entries(config.tools.mcpServers).flatMap(([, server]) =>
    server.command === undefined ? [] : [server.command]
  )
  if (mcpCommands.length > 0) {
    run.push(...mcpCommands)
    runWhy.push(`MCP servers ${mcpCommands.join(", ")}`)
  }
  if (run.length > 0) grants.push({ flag: `--allow-run=${list(run)}`, why: runWhy.join("; ") })
  grants.push({
    flag: "--allow-sys=uid",
    why: "Deno's node:fs asks for the user id in fs.access (file existence checks)",
  })
  if (!config.tools.restrictToWorkspace) {
    notes.push(
      "tools.restrictToWorkspace is false: the file tools may use every path the gateway may, including " +
        "config.json and its API keys. Set it to true to confine them to the workspace.",
    )
  }
  notes.push("No --allow-ffi, --allow-import or other --allow-sys names: claw does not use them")
  return { grants, notes }
}

export const profileFlags = (profile: PermissionProfile): ReadonlyArray<string> =>
  profile.grants.map((grant) => grant.flag)
