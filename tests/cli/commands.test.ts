/**
 * The small commands through the real entry point: --version, --help, onboard, status, config schema.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts"
import { makeHome, runClaw } from "../support/cli.ts"
import { VERSION } from "../../src/version.ts"

Deno.test("claw --version prints the version and --help lists the commands", async () => {
  const version = await runClaw(["--version"])
  assertEquals(version.code, 0)
  assertStringIncludes(version.stdout, VERSION)
  const help = await runClaw(["--help"])
  for (const command of ["onboard", "agent", "gateway", "status", "config"]) assertStringIncludes(help.stdout, command)
  assertStringIncludes(help.stdout, "--config")
  const agentHelp = await runClaw(["agent", "--help"])
  assertStringIncludes(agentHelp.stdout, "--message")
  assertStringIncludes(agentHelp.stdout, "markdown")
})

Deno.test("claw onboard writes a complete config and the workspace templates, and never overwrites them", async () => {
  const home = await makeHome(undefined)
  try {
    const first = await runClaw(["onboard"], { env: home.env })
    assertEquals(first.code, 0, first.stderr)
    const config = JSON.parse(await Deno.readTextFile(home.configPath))
    assertEquals(config.agents.defaults.maxToolIterations, 40)
    assertEquals(config.channels.websocket.port, 18800)
    for (const file of ["AGENTS.md", "SOUL.md", "USER.md", "TOOLS.md", "HEARTBEAT.md", "memory/MEMORY.md"]) {
      assert((await Deno.stat(`${home.home}/workspace/${file}`)).isFile, file)
    }
    assert((await Deno.stat(`${home.home}/workspace/skills`)).isDirectory)
    await Deno.writeTextFile(`${home.home}/workspace/SOUL.md`, "custom soul")
    await Deno.writeTextFile(home.configPath, `{"agents": {"defaults": {"model": "mine"}}}`)
    const second = await runClaw(["onboard"], { env: home.env })
    assertEquals(second.code, 0, second.stderr)
    assertStringIncludes(second.stdout, "left unchanged")
    assertEquals(await Deno.readTextFile(`${home.home}/workspace/SOUL.md`), "custom soul")
    assertEquals(JSON.parse(await Deno.readTextFile(home.configPath)).agents.defaults.model, "mine")
    const elsewhere = `${home.home}/other/cfg.json`
    const explicit = await runClaw(["onboard", "--config", elsewhere], { env: home.env })
    assertEquals(explicit.code, 0, explicit.stderr)
    assert((await Deno.stat(elsewhere)).isFile)
  } finally {
    await home.cleanup()
  }
})

Deno.test("claw status shows paths, the chosen provider and which keys are set without revealing them", async () => {
  const key = "sk-or-v1-verysecretvalue123456"
  const home = await makeHome({ providers: { openrouter: { apiKey: key } } })
  try {
    const result = await runClaw(["status"], { env: { ...home.env, DEEPSEEK_API_KEY: "sk-deepseek-secret-999999" } })
    assertEquals(result.code, 0, result.stderr)
    assertStringIncludes(result.stdout, home.configPath)
    assertStringIncludes(result.stdout, `${home.home}/workspace`)
    assertStringIncludes(result.stdout, "OpenRouter")
    assertStringIncludes(result.stdout, "anthropic/claude-opus-4-5")
    assertStringIncludes(result.stdout, "set by DEEPSEEK_API_KEY")
    assertStringIncludes(result.stdout, "websocket")
    assertEquals(result.stdout.includes(key), false)
    assertEquals(result.stdout.includes("sk-deepseek-secret-999999"), false)
  } finally {
    await home.cleanup()
  }
})

Deno.test("claw --config with a missing file is an error naming the file", async () => {
  const home = await makeHome(undefined)
  try {
    const result = await runClaw(["status", "--config", `${home.home}/nope.json`], { env: home.env })
    assertEquals(result.code, 1)
    assertStringIncludes(result.stderr, "nope.json")
    assertStringIncludes(result.stderr, "not found")
  } finally {
    await home.cleanup()
  }
})

Deno.test("claw config schema prints a JSON Schema with defaults for editors", async () => {
  const result = await runClaw(["config", "schema"])
  assertEquals(result.code, 0, result.stderr)
  const schema = JSON.parse(result.stdout)
  assertEquals(schema.type, "object")
  const defaults = schema.properties.agents.properties.defaults.properties
  assertEquals(defaults.maxTokens.default, 8192)
  assertEquals(schema.properties.channels.properties.websocket.properties.port.default, 18800)
  assert(schema.properties.providers.properties.openrouter !== undefined)
})
