/**
 * The skills part of the system prompt ("always" skills in full, then a summary of all skills). The skills loader
 * provides the real implementation; `layerEmpty` is for tests and commands that run without skills.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

export class SkillsPrompt extends Context.Service<SkillsPrompt, {
  readonly section: Effect.Effect<string>
}>()("claw/agent/SkillsPrompt") {
  static readonly layerEmpty = Layer.succeed(SkillsPrompt, SkillsPrompt.of({ section: Effect.succeed("") }))
}
