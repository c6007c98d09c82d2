/**
 * `SkillsLoader` on the real file system: workspace skills override bundled ones, availability follows PATH and the
 * environment, broken frontmatter is reported; and the rendered prompt section (always-skills inlined, XML summary).
 */
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { bundledSkillsDir, type Skill, SkillsLoader } from "../../../src/agent/skills/SkillsLoader.ts"
import { renderSkillsSection } from "../../../src/agent/skills/skillsSection.ts"
import { Workspace } from "../../../src/agent/Workspace.ts"
import { AppConfig } from "../../../src/config/AppConfig.ts"
import { Environment } from "../../../src/platform/Environment.ts"
import { assert, assertEquals, assertStringIncludes } from "../../support/assert.ts"

const writeSkill = async (dir: string, name: string, text: string) => {
  await Deno.mkdir(`${dir}/${name}`, { recursive: true })
  await Deno.writeTextFile(`${dir}/${name}/SKILL.md`, text)
}

const listSkills = (home: string, bundled: string, env: Record<string, string>) =>
  Effect.runPromise(
    Effect.flatMap(SkillsLoader.make(bundled), (loader) => loader.list).pipe(
      Effect.provide(Workspace.layer.pipe(
        Layer.provideMerge(Layer.mergeAll(
          AppConfig.layerTest({ home, workspace: `${home}/workspace` }),
          Environment.layerTest(env, home, home),
          NodeServices.layer,
        )),
      )),
    ),
  )

const byName = (skills: ReadonlyArray<Skill>) => new Map(skills.map((skill) => [skill.name, skill]))

Deno.test("SkillsLoader lets a workspace skill override the bundled one and checks bins on PATH and env vars", async () => {
  const home = await Deno.makeTempDir({ prefix: "claw-skills-" })
  try {
    const bundled = `${home}/bundled`
    const workspaceSkills = `${home}/workspace/skills`
    const bin = `${home}/bin`
    await Deno.mkdir(bin)
    await Deno.writeTextFile(`${bin}/present-tool`, "#!/bin/sh\n")
    await Deno.chmod(`${bin}/present-tool`, 0o755)
    await Deno.writeTextFile(`${bin}/not-executable`, "data")
    await writeSkill(bundled, "notes", "---\nname: notes\ndescription: Bundled notes\n---\nBundled body")
    await writeSkill(workspaceSkills, "notes", "---\nname: notes\ndescription: My notes\n---\nMy body")
    await writeSkill(
      bundled,
      "tools",
      "---\ndescription: Needs tools\nmetadata:\n  requires:\n    bins: [present-tool]\n---\n",
    )
    await writeSkill(
      bundled,
      "missing",
      '---\ndescription: Needs more\nmetadata: {"claw": {"requires": {"bins": ["present-tool", "not-executable", "nope-cli"], "env": ["SET_VAR", "UNSET_VAR"]}}}\n---\n',
    )
    await writeSkill(workspaceSkills, "broken", "---\nalways: maybe: not\n---\n")
    await Deno.mkdir(`${workspaceSkills}/empty-folder`)
    const skills = await listSkills(home, bundled, { PATH: `/does/not/exist:${bin}`, SET_VAR: "1" })
    assertEquals(skills.map((skill) => skill.name), ["broken", "missing", "notes", "tools"])
    const skill = byName(skills)
    assertEquals(
      [skill.get("notes")!.source, skill.get("notes")!.description, skill.get("notes")!.body],
      ["workspace", "My notes", "My body"],
    )
    assertEquals(skill.get("notes")!.location, `${workspaceSkills}/notes/SKILL.md`)
    assertEquals([skill.get("tools")!.available, skill.get("tools")!.missing], [true, []])
    assertEquals(skill.get("missing")!.available, false)
    assertEquals(skill.get("missing")!.missing, ["CLI: not-executable", "CLI: nope-cli", "ENV: UNSET_VAR"])
    assertEquals(skill.get("broken")!.available, false)
    assertStringIncludes(skill.get("broken")!.problem ?? "", "not valid YAML")
  } finally {
    await Deno.remove(home, { recursive: true })
  }
})

Deno.test("SkillsLoader finds the seven bundled skills, all valid, with memory always loaded", async () => {
  const home = await Deno.makeTempDir({ prefix: "claw-skills-" })
  try {
    const skills = await listSkills(home, bundledSkillsDir, { PATH: "" })
    assertEquals(
      skills.map((skill) => skill.name),
      ["cron", "github", "memory", "skill-creator", "summarize", "tmux", "weather"],
    )
    for (const skill of skills) {
      assertEquals(skill.problem, undefined, `${skill.name}: ${skill.problem}`)
      assert(skill.description.length > 20, `${skill.name} has a description`)
      assertEquals(skill.source, "bundled")
    }
    const skill = byName(skills)
    assertEquals(skills.filter((s) => s.always).map((s) => s.name), ["memory"])
    assertEquals(skill.get("github")!.missing, ["CLI: gh"], "an empty PATH finds no gh")
    assertEquals(skill.get("tmux")!.missing, ["CLI: tmux"])
  } finally {
    await Deno.remove(home, { recursive: true })
  }
})

Deno.test("renderSkillsSection inlines available always-skills and lists every usable skill as XML", () => {
  const skill = (name: string, extra: Partial<Skill> = {}): Skill => ({
    name,
    description: `About ${name}`,
    always: false,
    source: "bundled",
    location: `/skills/${name}/SKILL.md`,
    body: `Body of ${name}`,
    available: true,
    missing: [],
    ...extra,
  })
  const text = renderSkillsSection([
    skill("always-on", { always: true }),
    skill("on-demand"),
    skill("needs-env", { always: true, available: false, missing: ["ENV: TOKEN"] }),
    skill("escaped", { description: 'a < b & "c"' }),
    skill("broken", { problem: "bad", available: false }),
  ])
  assertStringIncludes(text, "## Skill: always-on\n\nBody of always-on")
  assert(!text.includes("Body of on-demand"), "other skills are only summarised")
  assert(!text.includes("Body of needs-env"), "an unavailable always-skill is not inlined")
  assertStringIncludes(
    text,
    '<skill available="false">\n    <name>needs-env</name>\n    <description>About needs-env</description>\n' +
      "    <location>/skills/needs-env/SKILL.md</location>\n    <requires>ENV: TOKEN</requires>\n  </skill>",
  )
  assertStringIncludes(text, "<description>a &lt; b &amp; &quot;c&quot;</description>")
  assert(!text.includes("broken"), "a broken skill is left out")
  assertEquals(renderSkillsSection([]), "")
})
