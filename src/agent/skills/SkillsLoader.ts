/**
 * Finds the skills the agent can use: `<workspace>/skills/<name>/SKILL.md`, overriding the bundled
 * `skills/<name>/SKILL.md` of the same name (the bundled folder sits next to the sources and is located from this
 * module, so it is found inside a compiled binary too). Each skill says whether it is available: every binary in
 * `requires.bins` is an executable on PATH and every variable in `requires.env` is set. A SKILL.md whose frontmatter
 * does not parse is listed with the problem and is never offered to the model.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as Path from "effect/Path"
import * as Result from "effect/Result"
import { fileURLToPath } from "node:url"
import { Environment } from "../../platform/Environment.ts"
import { Workspace } from "../Workspace.ts"
import { parseSkillFile } from "./frontmatter.ts"

export type SkillSource = "bundled" | "workspace"

export interface Skill {
  /** The skill's folder name (what a workspace skill overrides by). */
  readonly name: string
  readonly description: string
  readonly always: boolean
  readonly source: SkillSource
  /** Absolute path of the SKILL.md. */
  readonly location: string
  /** The Markdown after the frontmatter. */
  readonly body: string
  readonly available: boolean
  /** What is missing, e.g. `CLI: gh`, `ENV: GITHUB_TOKEN`. */
  readonly missing: ReadonlyArray<string>
  /** Why the SKILL.md cannot be used (bad frontmatter); such a skill is never available. */
  readonly problem?: string
}

/** The skills shipped with claw, next to the sources. */
export const bundledSkillsDir = fileURLToPath(new URL("../../../skills", import.meta.url))

export class SkillsLoader extends Context.Service<SkillsLoader, {
  /** Every skill, sorted by name; never fails (unreadable folders contribute nothing). */
  readonly list: Effect.Effect<ReadonlyArray<Skill>>
}>()("claw/agent/skills/SkillsLoader") {
  static readonly layer = Layer.effect(SkillsLoader, Effect.suspend(() => SkillsLoader.make(bundledSkillsDir)))

  /** A loader over `bundledDir` and the workspace's skills folder. */
  static readonly make = Effect.fn("SkillsLoader.make")(function* (bundledDir: string) {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const env = yield* Environment
    const workspace = yield* Workspace
    const windows = env.os === "windows"

    const isExecutable = (file: string) =>
      fs.stat(file).pipe(
        Effect.map((info) => info.type === "File" && (windows || (info.mode & 0o111) !== 0)),
        Effect.orElseSucceed(() => false),
      )

    const onPath = (bin: string) => {
      if (bin.includes("/") || bin.includes("\\")) return isExecutable(bin)
      const dirs = (env.get("PATH") ?? "").split(windows ? ";" : ":").filter((dir) => dir !== "")
      const names = windows ? [bin, `${bin}.exe`, `${bin}.cmd`, `${bin}.bat`] : [bin]
      const candidates = dirs.flatMap((dir) => names.map((name) => path.join(dir, name)))
      return Effect.reduce(
        candidates,
        () => false,
        (found: boolean, file) => found ? Effect.succeed(true) : isExecutable(file),
      )
    }

    const load = (location: string, name: string, source: SkillSource) =>
      Effect.gen(function* () {
        const text = yield* fs.readFileString(location)
        const parsed = parseSkillFile(text)
        if (Result.isFailure(parsed)) {
          const skill: Skill = {
            name,
            description: "",
            always: false,
            source,
            location,
            body: "",
            available: false,
            missing: [],
            problem: parsed.failure,
          }
          return skill
        }
        const { manifest, body } = parsed.success
        const missingBins = yield* Effect.filter(manifest.requires.bins, (bin) => Effect.map(onPath(bin), (ok) => !ok))
        const missingEnv = manifest.requires.env.filter((name) => (env.get(name) ?? "") === "")
        const missing = [...missingBins.map((bin) => `CLI: ${bin}`), ...missingEnv.map((name) => `ENV: ${name}`)]
        const skill: Skill = {
          name,
          description: manifest.description ?? "",
          always: manifest.always,
          source,
          location,
          body,
          available: missing.length === 0,
          missing,
        }
        return skill
      })

    const scan = (dir: string, source: SkillSource) =>
      Effect.gen(function* () {
        if (!(yield* fs.exists(dir))) return []
        const entries = [...yield* fs.readDirectory(dir)].sort()
        const skills: Array<Skill> = []
        for (const entry of entries) {
          const location = path.join(dir, entry, "SKILL.md")
          if (!(yield* fs.exists(location))) continue
          const skill = yield* load(location, entry, source).pipe(Effect.option)
          if (skill._tag === "Some") skills.push(skill.value)
        }
        return skills
      }).pipe(
        Effect.tapError((error) => Effect.logWarning(`Could not read skills in ${dir}: ${error.message}`)),
        Effect.orElseSucceed((): ReadonlyArray<Skill> => []),
      )

    const list = Effect.gen(function* () {
      const byName = new Map<string, Skill>()
      for (const skill of yield* scan(bundledDir, "bundled")) byName.set(skill.name, skill)
      for (const skill of yield* scan(workspace.skillsDir, "workspace")) byName.set(skill.name, skill)
      return [...byName.values()].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
    }).pipe(Effect.withSpan("SkillsLoader.list"))

    return SkillsLoader.of({ list })
  })
}
