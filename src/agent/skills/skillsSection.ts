/**
 * The skills part of the system prompt: every available "always" skill in full, then an XML summary of all usable
 * skills (name, description, location, whether it is available and what is missing), so the model knows what it
 * can read with `read_file` before it needs it. Skills with a broken SKILL.md are left out.
 */
import type { Skill } from "./SkillsLoader.ts"

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

/** `<skills>…</skills>`, one `<skill>` per usable skill. */
export const skillsSummary = (skills: ReadonlyArray<Skill>) => {
  const lines = ["<skills>"]
  for (const skill of skills) {
    if (skill.problem !== undefined) continue
    lines.push(`  <skill available="${skill.available}">`)
    lines.push(`    <name>${escapeXml(skill.name)}</name>`)
    lines.push(`    <description>${escapeXml(skill.description)}</description>`)
    lines.push(`    <location>${escapeXml(skill.location)}</location>`)
    if (!skill.available) lines.push(`    <requires>${escapeXml(skill.missing.join(", "))}</requires>`)
    lines.push("  </skill>")
  }
  lines.push("</skills>")
  return lines.join("\n")
}

/** The whole section, or "" when there are no usable skills. */
export const renderSkillsSection = (skills: ReadonlyArray<Skill>) => {
  const usable = skills.filter((skill) => skill.problem === undefined)
  if (usable.length === 0) return ""
  const sections: Array<string> = []
  const always = usable.filter((skill) => skill.always && skill.available && skill.body !== "")
  if (always.length > 0) {
    sections.push(
      ["# Active skills", ...always.map((skill) => `## Skill: ${skill.name}\n\n${skill.body}`)].join("\n\n"),
    )
  }
  sections.push(
    [
      "# Skills",
      "Skills are instructions for specific tasks. Before using one, read its SKILL.md at <location> with " +
      'read_file. A skill with available="false" needs what <requires> lists first (install a missing CLI with ' +
      "exec, e.g. apt-get or brew, or ask the user to set a missing environment variable).",
      skillsSummary(usable),
    ].join("\n\n"),
  )
  return sections.join("\n\n---\n\n")
}
