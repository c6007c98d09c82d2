/**
 * The frame every command runs in: load the config named by `--config`, set up redacted logging, build the
 * services the command needs, run it. A broken config is printed as one line per problem and the command exits
 * non-zero; config warnings are logged once.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as GlobalFlag from "effect/cli/GlobalFlag"
import { AppConfig, ConfigError } from "../config/AppConfig.ts"
import { collectSecrets } from "../config/secrets.ts"
import { Environment } from "../platform/Environment.ts"
import { loggingLayer } from "../platform/Logging.ts"
import { CliFailure } from "./CliFailure.ts"
import { ConfigFlag, LogFormatFlag } from "./flags.ts"

export type BaseServices = AppConfig | Environment

export const runCommand = <A, E, R, ROut, LE, LR>(
  options: {
    readonly defaultLevel: LogLevel.LogLevel
    /** Accept a `--config` path that does not exist yet (onboard creates it). */
    readonly allowMissingConfig?: boolean
    readonly layer: Layer.Layer<ROut, LE, LR | BaseServices>
  },
  body: Effect.Effect<A, E, R | ROut | BaseServices>,
) =>
  Effect.gen(function* () {
    const configPath = Option.getOrUndefined(yield* ConfigFlag)
    const format = yield* LogFormatFlag
    const level = Option.getOrElse(yield* GlobalFlag.LogLevel, () => options.defaultLevel)
    const base = AppConfig.layer(configPath, { allowMissing: options.allowMissingConfig === true }).pipe(
      Layer.provideMerge(Environment.layer),
    )
    const logging = Layer.unwrap(Effect.gen(function* () {
      const app = yield* AppConfig
      const env = yield* Environment
      return loggingLayer({ format, level, secrets: collectSecrets(app.config, env.get) })
    }))
    const baseWithLogging = Layer.provideMerge(logging, base)
    const services = Layer.provideMerge(options.layer, baseWithLogging)
    const program = Effect.gen(function* () {
      const app = yield* AppConfig
      for (const warning of app.warnings) yield* Effect.logWarning(`Config ${app.path}: ${warning}`)
      return yield* body
    })
    return yield* program.pipe(Effect.provide(services))
  }).pipe(
    Effect.catchIf(
      (error): error is ConfigError => error instanceof ConfigError,
      (error) =>
        Console.error(error.message).pipe(Effect.andThen(Effect.fail(new CliFailure({ message: "invalid config" })))),
    ),
  )
