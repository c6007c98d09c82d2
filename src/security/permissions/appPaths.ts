/**
 * Where claw's own files are, for the permission profile and the tool sandbox: the source tree (which a Deno
 * Worker must be allowed to read to load its modules), the bundled skills and templates, and the `node_modules`
 * directory Deno installs npm packages into (`"nodeModulesDir": "auto"`). In a compiled binary these are paths in
 * its embedded file system, computed the same way from `import.meta.url`.
 */
import { fileURLToPath } from "node:url"
import { bundledSkillsDir } from "../../agent/skills/SkillsLoader.ts"
import { templatesDir } from "../../agent/Workspace.ts"

const dir = (relative: string) => fileURLToPath(new URL(relative, import.meta.url)).replace(/[\\/]+$/, "")

export const APP_PATHS = {
  /** The checkout (or the binary's embedded root): holds main.ts, src/, skills/, node_modules/. */
  root: dir("../../../"),
  source: dir("../../"),
  skills: bundledSkillsDir.replace(/[\\/]+$/, ""),
  templates: templatesDir.replace(/[\\/]+$/, ""),
  nodeModules: dir("../../../node_modules/"),
} as const

/** What a process running claw's code must be able to read: its modules, packages and bundled files. */
export const appReadPaths = (nodeModulesExists: boolean): ReadonlyArray<string> => [
  APP_PATHS.source,
  APP_PATHS.skills,
  ...(nodeModulesExists ? [APP_PATHS.nodeModules] : []),
]
