/**
 * Least privilege end to end: `claw permissions` prints the profile, the gateway and the agent run under exactly
 * those flags, `scripts/start.ts` (what `deno task start` runs) launches claw with them, and a missing grant is one
 * line that names the flag.
 */
import { fileURLToPath } from "node:url"
import { assert, assertEquals, assertStringIncludes } from "../../support/assert.ts"
import { fakeLlmConfig, makeHome, runClaw, startGateway } from "../../support/cli.ts"
import { startFakeLlm } from "../../support/fake_llm.ts"

const START = fileURLToPath(new URL("../../../scripts/start.ts", import.meta.url))

const profileOf = async (env: Record<string, string>) => {
  const result = await runClaw(["permissions", "--flags-only"], { env })
  assertEquals(result.code, 0, result.stderr)
  return result.stdout.trim().split("\n")
}

Deno.test("claw permissions prints a ready-to-paste command line with a reason for every flag", async () => {
  const home = await makeHome({ channels: { websocket: { host: "0.0.0.0", port: 18877, token: "secret-token-1" } } })
  try {
    const result = await runClaw(["permissions"], { env: home.env })
    assertEquals(result.code, 0, result.stderr)
    const [header, ...rest] = result.stdout.split("\n")
    assertEquals(header, `# Deno permissions for \`claw gateway\` with ${home.configPath}`)
    assertStringIncludes(result.stdout, "deno run \\\n  --no-prompt \\\n")
    assertStringIncludes(result.stdout, `  main.ts gateway --config ${home.configPath}\n`)
    for (const flag of await profileOf(home.env)) {
      assertStringIncludes(rest.join("\n"), `  ${flag.replace(/=.*/, "")}: `)
    }
    assertStringIncludes(result.stdout, "0.0.0.0:18877 (websocket channel (listens))")
    assert(!result.stdout.includes("secret-token-1"), "the token is never printed")
  } finally {
    await home.cleanup()
  }
})

Deno.test("the gateway and the agent run under exactly the flags claw permissions prints", async () => {
  const llm = await startFakeLlm()
  const home = await makeHome(fakeLlmConfig(llm.url, { channels: { websocket: { port: 0 } } }))
  try {
    const flags = await profileOf(home.env)
    const answer = await runClaw(["agent", "-m", "What is 2+2?"], { env: home.env, flags })
    assertEquals(answer.code, 0, answer.stderr)
    assertEquals(answer.stdout.trim(), "4")
    const gateway = startGateway({ env: home.env, flags })
    await gateway.waitForLog(/WebSocket channel listening on ws:\/\/127\.0\.0\.1:\d+/)
    await gateway.waitForLog(/claw gateway started/)
    assertEquals(await gateway.stop(), 0)
    assert(!/NotCapable|Requires \w+ access/.test(gateway.logs()), gateway.logs())
  } finally {
    await home.cleanup()
    await llm.close()
  }
})

Deno.test("scripts/start.ts launches claw under the profile, never -A", async () => {
  const llm = await startFakeLlm()
  const home = await makeHome(fakeLlmConfig(llm.url))
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-env",
        "--allow-run",
        "--allow-sys=uid",
        START,
        "agent",
        "-m",
        "What is 2+2?",
      ],
      env: { ...home.env, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home.home },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output()
    const stderr = new TextDecoder().decode(output.stderr)
    assertEquals(output.code, 0, stderr)
    assertEquals(new TextDecoder().decode(output.stdout).trim(), "4")
    const launched = stderr.split("\n").find((line) => line.startsWith("claw: starting with least-privilege")) ?? ""
    assertEquals(launched.split(": ").slice(2).join(": ").split(" "), await profileOf(home.env))
    assert(!/ (-A|--allow-all)( |$)/.test(launched), launched)
  } finally {
    await home.cleanup()
    await llm.close()
  }
})

Deno.test("a missing permission is one line naming the permission and the flag, not a stack trace", async () => {
  const home = await makeHome({})
  try {
    const flags = ["--no-prompt", `--allow-read=${home.home}`, "--allow-env", "--allow-sys=uid"]
    const result = await runClaw(["agent", "-m", "hi"], { env: home.env, flags })
    assertEquals(result.code, 1)
    const lines = result.stderr.trim().split("\n")
    assertEquals(lines.length, 1, result.stderr)
    assertStringIncludes(lines[0]!, `claw is missing write access to "${home.home}"`)
    assertStringIncludes(lines[0]!, `grant it with --allow-write=${home.home}`)
    const crashed = await runClaw(["agent", "-m", "hi"], { env: home.env, flags: flags.slice(0, -1) })
    assertEquals([crashed.code, crashed.stderr.trim().split("\n").length], [1, 1], crashed.stderr)
    assertStringIncludes(crashed.stderr, 'claw is missing sys access to "uid": grant it with --allow-sys=uid')
  } finally {
    await home.cleanup()
  }
})

Deno.test("claw status says which confinement the tools run under", async () => {
  const home = await makeHome({ tools: { restrictToWorkspace: true } })
  try {
    const sandboxed = await runClaw(["status"], { env: home.env })
    assertEquals(sandboxed.code, 0, sandboxed.stderr)
    assertStringIncludes(
      sandboxed.stdout,
      `Tool sandbox:\n  file & web tools  Deno worker: reads and writes only ${await Deno.realPath(
        home.home,
      )}/workspace`,
    )
    assertStringIncludes(
      sandboxed.stdout,
      "  exec              disabled (tools.restrictToWorkspace; set tools.exec.enabled)",
    )
    const inProcess = await runClaw(["status"], {
      env: { ...home.env, CLAW_TOOL_SANDBOX: "in-process", CLAW_EXEC_SANDBOX: "none" },
    })
    assertStringIncludes(inProcess.stdout, "file & web tools  in the gateway process (CLAW_TOOL_SANDBOX=in-process)")
    await Deno.writeTextFile(home.configPath, JSON.stringify({ tools: { exec: { enabled: true } } }))
    const unconfined = await runClaw(["status"], { env: { ...home.env, CLAW_EXEC_SANDBOX: "none" } })
    assertStringIncludes(unconfined.stdout, "exec              none: commands run as your user")
  } finally {
    await home.cleanup()
  }
})
