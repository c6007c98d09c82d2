/**
 * `claw gateway`: starts the agent and every enabled channel and runs until SIGINT/SIGTERM, then shuts down
 * gracefully (running turns are interrupted, channels closed, the store flushed).
 */
import * as Effect from "effect/Effect"
import { TurnDispatcher } from "../../agent/TurnDispatcher.ts"
import { Workspace } from "../../agent/Workspace.ts"
import { AppConfig } from "../../config/AppConfig.ts"
import { Environment } from "../../platform/Environment.ts"
import { missingKeyAdvice } from "../../providers/advice.ts"
import { resolveProvider } from "../../providers/resolveProvider.ts"
import { gatewayLayer } from "../layers.ts"
import { runCommand } from "../runCommand.ts"

export const run = () =>
  runCommand(
    { defaultLevel: "Info", layer: gatewayLayer },
    Effect.gen(function* () {
      const app = yield* AppConfig
      const env = yield* Environment
      const workspace = yield* Workspace
      const dispatcher = yield* TurnDispatcher
      const written = yield* workspace.ensure
      if (written.length > 0) {
        yield* Effect.logInfo(`Created workspace files in ${workspace.root}: ${written.join(", ")}`)
      }
      const { model, provider } = app.config.agents.defaults
      const advice = missingKeyAdvice(
        resolveProvider({ model, provider }, app.config.providers, env.get),
        model,
        app.path,
      )
      if (advice !== undefined) yield* Effect.logWarning(advice)
      yield* Effect.logInfo(
        `claw gateway started (config: ${app.fileExists ? app.path : "embedded defaults"}, model: ${model})`,
      )
      yield* Effect.forkScoped(dispatcher.run)
      return yield* Effect.never
    }).pipe(
      Effect.scoped,
      Effect.onInterrupt(() => Effect.logInfo("claw gateway stopped")),
    ),
  )
