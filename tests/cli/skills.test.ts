/**
 * Skills end to end: `claw skills list` and the skills section of the system prompt the model receives.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts"
import { fakeLlmConfig, makeHome, runClaw } from "../support/cli.ts"
import { startFakeLlm } from "../support/fake_llm.ts"

const writeSkill = async (workspace: string, name: string, text: string) => {
  await Deno.mkdir(`${workspace}/skills/${name}`, { recursive: true })
  await Deno.writeTextFile(`${workspace}/skills/${name}/SKILL.md`, text)
}

const prepare = async (workspace: string) => {
  await writeSkill(
    workspace,
    "weather",
    "---\nname: weather\ndescription: My own weather\nalways: false\n---\nWEATHER BODY",
  )
  await writeSkill(
    workspace,
    "house-rules",
    "---\nname: house-rules\ndescription: Rules\nalways: true\n---\nRULES BODY",
  )
  await writeSkill(
    workspace,
    "deploy",
    '---\nname: deploy\ndescription: Deploy the site\nalways: false\nmetadata: {"claw": {"requires": {"env": ["DEPLOY_TOKEN"]}}}\n---\nDEPLOY BODY',
  )
}

Deno.test("claw skills list shows bundled and workspace skills with their availability", async () => {
  const home = await makeHome(undefined)
  try {
    await prepare(`${home.home}/workspace`)
    const result = await runClaw(["skills", "list"], { env: home.env })
    assertEquals(result.code, 0, result.stderr)
    const line = (name: string) => result.stdout.split("\n").find((l) => l.startsWith(`${name} `)) ?? ""
    assertStringIncludes(line("weather"), "workspace")
    assertStringIncludes(line("memory"), "bundled")
    assertStringIncludes(line("memory"), "available, always loaded")
    assertStringIncludes(line("house-rules"), "available, always loaded")
    assertStringIncludes(line("deploy"), "missing ENV: DEPLOY_TOKEN")
    for (const name of ["cron", "github", "summarize", "tmux", "skill-creator"]) assert(line(name) !== "", name)
    const withToken = await runClaw(["skills", "list"], { env: { ...home.env, DEPLOY_TOKEN: "x" } })
    assertStringIncludes(withToken.stdout.split("\n").find((l) => l.startsWith("deploy ")) ?? "", "available")
  } finally {
    await home.cleanup()
  }
})

Deno.test("claw agent sends always-skills in full and an XML summary of all skills in the system prompt", async () => {
  const llm = await startFakeLlm()
  const home = await makeHome(fakeLlmConfig(llm.url))
  try {
    await prepare(`${home.home}/workspace`)
    const result = await runClaw(["agent", "-m", "hi"], { env: home.env })
    assertEquals(result.code, 0, result.stderr)
    const system = String(llm.requests[0]!.body.messages?.[0]?.content)
    assertStringIncludes(system, "## Skill: house-rules\n\nRULES BODY")
    assertStringIncludes(system, "## Skill: memory")
    assert(!system.includes("WEATHER BODY"), "always: false is not inlined")
    assert(!system.includes("DEPLOY BODY"), "always: false is not inlined")
    assertStringIncludes(system, `<location>${home.home}/workspace/skills/weather/SKILL.md</location>`)
    assertStringIncludes(system, "<description>My own weather</description>")
    assertStringIncludes(system, "<name>deploy</name>")
    assertStringIncludes(system, "<requires>ENV: DEPLOY_TOKEN</requires>")
    assertStringIncludes(system, "<name>skill-creator</name>")
  } finally {
    await home.cleanup()
    await llm.close()
  }
})
