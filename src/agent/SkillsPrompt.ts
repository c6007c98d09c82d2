/**
 * The skills part of the system prompt ("always" skills in full, then a summary of all skills). `layer` renders
 * what the `SkillsLoader` finds, re-reading the skill folders at most every couple of seconds so the prompt stays
 * cache-friendly; `layerEmpty` is for tests and commands that run without skills.
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { SkillsLoader } from "./skills/SkillsLoader.ts"
import { renderSkillsSection } from "./skills/skillsSection.ts"

/** Skill folders are re-read at most this often. */
const SKILLS_CACHE_MS = 2_000

export class SkillsPrompt extends Context.Service<SkillsPrompt, {
  readonly section: Effect.Effect<string>
}>()("claw/agent/SkillsPrompt") {
  static readonly layerEmpty = Layer.succeed(SkillsPrompt, SkillsPrompt.of({ section: Effect.succeed("") }))

  static readonly layer = Layer.effect(
    SkillsPrompt,
    Effect.gen(function* () {
      const loader = yield* SkillsLoader
      let cached: { readonly at: number; readonly text: string } | undefined
      const section = Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        if (cached !== undefined && now - cached.at < SKILLS_CACHE_MS) return cached.text
        const text = renderSkillsSection(yield* loader.list)
        cached = { at: now, text }
        return text
      }).pipe(Effect.withSpan("SkillsPrompt.section"))
      return SkillsPrompt.of({ section })
    }),
  )
}
