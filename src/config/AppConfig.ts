/**
 * The loaded configuration and the paths derived from it. All state lives under `CLAW_HOME` (default `~/.claw`):
 * `config.json`, the SQLite store and, unless configured elsewhere, the workspace. A missing config file means
 * the embedded defaults; a broken one is a `ConfigError` listing every problem, never a silent fallback.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as Path from "effect/Path"
import * as Schema from "effect/Schema"
import { Environment } from "../platform/Environment.ts"
import type { ClawConfig } from "./ConfigSchema.ts"
import { decodeConfigText, defaultConfig } from "./decodeConfig.ts"
import { envOverrides } from "./envOverrides.ts"

export class ConfigError extends Schema.TaggedError<ConfigError>()("ConfigError", {
  path: Schema.String,
  problems: Schema.Array(Schema.String),
}) {
  override get message() {
    return `Invalid config ${this.path}:\n${this.problems.map((p) => `  ${p}`).join("\n")}`
  }
}

export interface AppConfigShape {
  readonly config: ClawConfig
  /** Absolute path of the config file (which may not exist). */
  readonly path: string
  readonly fileExists: boolean
  /** `CLAW_HOME`: where all state lives. */
  readonly home: string
  /** Absolute workspace directory. */
  readonly workspace: string
  /** SQLite database file. */
  readonly databasePath: string
  readonly warnings: ReadonlyArray<string>
}

export const expandHome = (value: string, homeDir: string) =>
  value === "~" ? homeDir : value.startsWith("~/") ? `${homeDir}${value.slice(1)}` : value

export class AppConfig extends Context.Service<AppConfig, AppConfigShape>()("claw/config/AppConfig") {
  /**
   * Loads `configPath` (default `$CLAW_HOME/config.json`). A missing default file means the embedded defaults; a
   * missing explicit `--config` file is an error unless `allowMissing` (for `claw onboard`, which creates it).
   */
  static readonly layer = (configPath: string | undefined, options: { readonly allowMissing?: boolean } = {}) =>
    Layer.effect(
      AppConfig,
      Effect.gen(function* () {
        const fs = yield* FileSystem.FileSystem
        const path = yield* Path.Path
        const env = yield* Environment
        const home = path.resolve(env.cwd, expandHome(env.get("CLAW_HOME") ?? "~/.claw", env.homeDir))
        const file = configPath === undefined
          ? path.join(home, "config.json")
          : path.resolve(env.cwd, expandHome(configPath, env.homeDir))
        const fileExists = yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false))
        if (!fileExists && configPath !== undefined && options.allowMissing !== true) {
          return yield* new ConfigError({ path: file, problems: ["(file): not found"] })
        }
        const text = fileExists
          ? yield* fs.readFileString(file).pipe(
            Effect.mapError((error) =>
              new ConfigError({ path: file, problems: [`(file): cannot read: ${error.message}`] })
            ),
          )
          : undefined
        const decoded = decodeConfigText(text, envOverrides(env.all()))
        if (decoded._tag === "Invalid") return yield* new ConfigError({ path: file, problems: decoded.problems })
        const configured = decoded.config.agents.defaults.workspace
        const workspace = configured === undefined
          ? path.join(home, "workspace")
          : path.resolve(path.dirname(file), expandHome(configured, env.homeDir))
        return AppConfig.of({
          config: decoded.config,
          path: file,
          fileExists,
          home,
          workspace,
          databasePath: path.join(home, "claw.db"),
          warnings: decoded.warnings,
        })
      }),
    )

  /** A fixed configuration for tests. */
  static readonly layerTest = (shape: Partial<AppConfigShape> & { readonly home: string }) =>
    Layer.succeed(
      AppConfig,
      AppConfig.of({
        config: shape.config ?? defaultConfig(),
        path: shape.path ?? `${shape.home}/config.json`,
        fileExists: shape.fileExists ?? false,
        home: shape.home,
        workspace: shape.workspace ?? `${shape.home}/workspace`,
        databasePath: shape.databasePath ?? `${shape.home}/claw.db`,
        warnings: shape.warnings ?? [],
      }),
    )
}
