/**
 * `claw skills list`: every skill the agent sees (bundled, or overridden/added in the workspace), whether it is
 * available and, when not, what is missing; a SKILL.md whose frontmatter does not parse is shown with the problem.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { bundledSkillsDir, type Skill, SkillsLoader } from "../../agent/skills/SkillsLoader.ts"
import { Workspace } from "../../agent/Workspace.ts"
import { runCommand } from "../runCommand.ts"

const statusOf = (skill: Skill) =>
  skill.problem !== undefined
    ? `invalid: ${skill.problem}`
    : skill.available
    ? skill.always ? "available, always loaded" : "available"
    : `missing ${skill.missing.join(", ")}`

export const skillLines = (skills: ReadonlyArray<Skill>, workspaceSkillsDir: string) => {
  const width = Math.max(4, ...skills.map((skill) => skill.name.length))
  const lines = [
    `Bundled skills:   ${bundledSkillsDir}`,
    `Workspace skills: ${workspaceSkillsDir} (a folder here overrides the bundled skill of the same name)`,
    "",
  ]
  if (skills.length === 0) return [...lines, "No skills found."]
  lines.push(`${"NAME".padEnd(width)}  SOURCE     STATUS`)
  for (const skill of skills) {
    lines.push(`${skill.name.padEnd(width)}  ${skill.source.padEnd(9)}  ${statusOf(skill)}`)
    if (skill.description !== "") lines.push(`${"".padEnd(width)}  ${skill.description}`)
  }
  return lines
}

export const list = () =>
  runCommand(
    { defaultLevel: "Warn", layer: SkillsLoader.layer.pipe(Layer.provideMerge(Workspace.layer)) },
    Effect.gen(function* () {
      const loader = yield* SkillsLoader
      const workspace = yield* Workspace
      const skills = yield* loader.list
      yield* Console.log(skillLines(skills, workspace.skillsDir).join("\n"))
    }),
  )
