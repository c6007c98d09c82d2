/**
 * `parseSkillFile`: YAML frontmatter parsed by a real YAML parser and decoded, `always: false` meaning false, and
 * `metadata` as YAML or JSON, plain or namespaced as nanobot/OpenClaw write it.
 */
import * as Result from "effect/Result"
import { parseSkillFile } from "../../../src/agent/skills/frontmatter.ts"
import { assert, assertEquals, assertStringIncludes } from "../../support/assert.ts"

const manifestOf = (text: string) => Result.getOrThrow(parseSkillFile(text)).manifest

Deno.test("parseSkillFile reads always as a real boolean: false stays false", () => {
  assertEquals(manifestOf("---\nname: a\nalways: false\n---\nBody").always, false)
  assertEquals(manifestOf("---\nname: a\nalways: true\n---\nBody").always, true)
  assertEquals(manifestOf("---\nname: a\n---\nBody").always, false)
  assert(Result.isFailure(parseSkillFile('---\nalways: "yes please"\n---\n')), "a non-boolean is an error")
})

Deno.test("parseSkillFile reads name, description (quoted or folded) and the body after the frontmatter", () => {
  const parsed = Result.getOrThrow(parseSkillFile(
    '---\nname: weather\ndescription: >-\n  Forecasts: rain,\n  sun and "wind"\n---\n\n# Weather\n\nUse curl.\n',
  ))
  assertEquals(parsed.manifest.name, "weather")
  assertEquals(parsed.manifest.description, 'Forecasts: rain, sun and "wind"')
  assertEquals(parsed.body, "# Weather\n\nUse curl.")
  const bare = Result.getOrThrow(parseSkillFile("# No frontmatter\nJust text"))
  assertEquals([bare.manifest.name, bare.body], [undefined, "# No frontmatter\nJust text"])
})

Deno.test("parseSkillFile reads requires from metadata as YAML, as a JSON string, and under nanobot's namespace", () => {
  const yaml = manifestOf("---\nmetadata:\n  requires:\n    bins: [gh, git]\n    env:\n      - GH_TOKEN\n---\n")
  assertEquals(yaml.requires, { bins: ["gh", "git"], env: ["GH_TOKEN"] })
  const json = manifestOf(`---\nmetadata: '{"requires": {"env": ["API_KEY"]}}'\n---\n`)
  assertEquals(json.requires, { bins: [], env: ["API_KEY"] })
  const nanobot = manifestOf('---\nmetadata: {"nanobot":{"emoji":"🐙","requires":{"bins":["gh"]}}}\n---\n')
  assertEquals(nanobot.requires, { bins: ["gh"], env: [] })
  const claw = manifestOf('---\nmetadata: {"claw": {"requires": {"bins": ["tmux"]}}}\n---\n')
  assertEquals(claw.requires, { bins: ["tmux"], env: [] })
})

Deno.test("parseSkillFile reports broken YAML and wrongly typed fields instead of guessing", () => {
  const broken = parseSkillFile("---\nname: [unclosed\n---\nBody")
  assert(Result.isFailure(broken))
  assertStringIncludes(broken.failure, "not valid YAML")
  const badRequires = parseSkillFile("---\nmetadata:\n  requires:\n    bins: gh\n---\n")
  assert(Result.isFailure(badRequires))
  assertStringIncludes(badRequires.failure, "metadata.requires")
  const badJson = parseSkillFile("---\nmetadata: '{nope'\n---\n")
  assert(Result.isFailure(badJson))
})
