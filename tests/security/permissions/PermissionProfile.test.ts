/**
 * The permission profile computed from a config: what each kind of configuration adds, and what it never grants.
 */
import { decodeConfigValue } from "../../../src/config/decodeConfig.ts"
import { APP_PATHS } from "../../../src/security/permissions/appPaths.ts"
import {
  permissionProfile,
  profileFlags,
  type ProfileInput,
} from "../../../src/security/permissions/PermissionProfile.ts"
import { assert, assertEquals } from "../../support/assert.ts"

const profileFor = (config: unknown, overrides: Partial<ProfileInput> = {}, vars: Record<string, string> = {}) => {
  const decoded = decodeConfigValue(config)
  if (decoded._tag !== "Ok") throw new Error(decoded.problems.join("; "))
  const flags = profileFlags(permissionProfile({
    app: { config: decoded.config, path: "/h/.claw/config.json", home: "/h/.claw", workspace: "/h/.claw/workspace" },
    env: (name) => vars[name],
    presentEnv: Object.keys(vars),
    os: "linux",
    execWrappers: [],
    nodeModules: true,
    ...overrides,
  }))
  const flag = (name: string) => flags.find((f) => f === name || f.startsWith(`${name}=`))
  return { flags, flag }
}

const appRead = [APP_PATHS.source, APP_PATHS.skills, APP_PATHS.nodeModules].join(",")

Deno.test("PermissionProfile for the default config: own files, open net minus private ranges, no programs", () => {
  const { flag, flags } = profileFor({})
  assertEquals(flag("--allow-read"), `--allow-read=/h/.claw,${appRead}`)
  assertEquals(flag("--allow-write"), "--allow-write=/h/.claw")
  assertEquals(flag("--allow-net"), "--allow-net")
  assertEquals(
    flag("--deny-net"),
    "--deny-net=169.254.0.0/16,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,0.0.0.0/8",
  )
  assertEquals(flag("--allow-run"), undefined, "exec is off by default (tools.restrictToWorkspace is true)")
  assertEquals(flag("--allow-sys"), "--allow-sys=uid")
  const env = flag("--allow-env")?.split("=")[1]?.split(",") ?? []
  for (const name of ["HOME", "CLAW_HOME", "PATH", "OPENROUTER_API_KEY", "BRAVE_API_KEY"]) {
    assert(env.includes(name), `${name} missing from ${flag("--allow-env")}`)
  }
  for (const never of ["-A", "--allow-all", "--allow-ffi", "--allow-import"]) {
    assert(!flags.some((f) => f.startsWith(never)), `${never} granted`)
  }
  assert(flags.includes("--no-prompt") && flags.includes("--unstable-worker-options"))
  const unrestricted = profileFor({ tools: { restrictToWorkspace: false } })
  assertEquals(unrestricted.flag("--allow-run"), "--allow-run=sh", "unrestricted exec runs through sh")
  assert(unrestricted.flag("--allow-env")!.includes("NODE_V8_COVERAGE"))
})

Deno.test("PermissionProfile with restrictToWorkspace and no exec grants no --allow-run and no exec variables", () => {
  const { flag } = profileFor({ tools: { restrictToWorkspace: true } })
  assertEquals(flag("--allow-run"), undefined)
  assert(!flag("--allow-env")!.includes("NODE_V8_COVERAGE"))
  const allowed = profileFor({
    tools: { restrictToWorkspace: true, exec: { enabled: true, allowedCommands: ["git"] } },
  })
  assertEquals(allowed.flag("--allow-run"), "--allow-run=git")
  const wrapped = profileFor({ tools: { restrictToWorkspace: false, exec: { allowedCommands: ["git", "ls"] } } }, {
    execWrappers: ["bwrap"],
  })
  assertEquals(wrapped.flag("--allow-run"), "--allow-run=bwrap,git,ls")
})

Deno.test("PermissionProfile lists provider and channel hosts; --strict-net grants only those", () => {
  const config = {
    providers: { openrouter: { apiKey: "sk-or-x" }, vllm: { apiBase: "http://10.0.0.5:8000/v1" } },
    agents: { defaults: { model: "openrouter/anthropic/claude-sonnet-4" } },
    channels: {
      websocket: { host: "0.0.0.0", port: 18800, token: "t" },
      mochat: { enabled: true, clawToken: "claw_x", agentUserId: "u", socketUrl: "wss://ws.mochat.io" },
    },
    tools: { mcpServers: { fs: { command: "mcp-fs" }, web: { url: "https://mcp.example.com/mcp" } } },
  }
  const strict = profileFor(config, { strictNet: true }, { DEEPSEEK_API_KEY: "sk-d" })
  assertEquals(
    strict.flag("--allow-net"),
    "--allow-net=openrouter.ai:443,api.deepseek.com:443,10.0.0.5:8000,0.0.0.0:18800,mochat.io:443,ws.mochat.io:443," +
      "mcp.example.com:443",
  )
  assertEquals(strict.flag("--deny-net"), undefined)
  assertEquals(strict.flag("--allow-run"), "--allow-run=mcp-fs", "MCP servers run; exec is off by default")
  const open = profileFor(config)
  assertEquals(open.flag("--allow-net"), "--allow-net")
  assertEquals(open.flag("--deny-net"), "--deny-net=169.254.0.0/16,127.0.0.0/8,[::1],localhost")
})

Deno.test("PermissionProfile grants every variable only when CLAW_…__… overrides must be found", () => {
  const { flag } = profileFor({}, {}, { CLAW_AGENTS__DEFAULTS__MODEL: "gpt-4o" })
  assertEquals(flag("--allow-env"), "--allow-env")
  assertEquals(profileFor({}, {}, { CLAW_HOME: "/x" }).flag("--allow-env")?.startsWith("--allow-env="), true)
})

Deno.test("PermissionProfile adds a workspace and config file outside CLAW_HOME, and opens private ranges on request", () => {
  const decoded = decodeConfigValue({ tools: { web: { fetch: { allowPrivateNetwork: true } } } })
  if (decoded._tag !== "Ok") throw new Error("invalid")
  const flags = profileFlags(permissionProfile({
    app: { config: decoded.config, path: "/etc/claw.json", home: "/var/lib/claw", workspace: "/srv/ws" },
    env: () => undefined,
    presentEnv: [],
    os: "linux",
    execWrappers: [],
    nodeModules: false,
  }))
  assert(flags.includes(`--allow-read=/var/lib/claw,/srv/ws,/etc/claw.json,${APP_PATHS.source},${APP_PATHS.skills}`))
  assert(flags.includes("--allow-write=/var/lib/claw,/srv/ws"))
  assert(!flags.some((f) => f.startsWith("--deny-net")), flags.join(" "))
})
