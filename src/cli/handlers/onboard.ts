/**
 * `claw onboard`: writes `$CLAW_HOME/config.json` (or `--config PATH`) with every default spelled out when it is
 * missing, and the workspace templates that are missing. Never overwrites anything.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Path from "effect/Path"
import * as Schema from "effect/Schema"
import { Workspace } from "../../agent/Workspace.ts"
import { AppConfig } from "../../config/AppConfig.ts"
import { ClawConfig } from "../../config/ConfigSchema.ts"
import { defaultConfig } from "../../config/decodeConfig.ts"
import { runCommand } from "../runCommand.ts"

export const defaultConfigText = () => JSON.stringify(Schema.encodeSync(ClawConfig)(defaultConfig()), null, 2) + "\n"

export const run = () =>
  runCommand(
    { defaultLevel: "Warn", allowMissingConfig: true, layer: Workspace.layer },
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const app = yield* AppConfig
      const workspace = yield* Workspace
      if (app.fileExists) {
        yield* Console.log(`Config already exists: ${app.path} (left unchanged)`)
      } else {
        yield* fs.makeDirectory(path.dirname(app.path), { recursive: true })
        yield* fs.writeFileString(app.path, defaultConfigText())
        yield* Console.log(`Wrote config: ${app.path}`)
      }
      const written = yield* workspace.ensure
      yield* Console.log(
        written.length === 0
          ? `Workspace ready: ${workspace.root}`
          : `Workspace ${workspace.root}: created ${written.join(", ")}`,
      )
      yield* Console.log(
        [
          "",
          "Next steps:",
          `  1. Add an API key: set providers.openrouter.apiKey in ${app.path} (or export OPENROUTER_API_KEY)`,
          '  2. Chat:           claw agent -m "Hello!"',
          "  3. Run channels:   claw gateway",
        ].join("\n"),
      )
    }),
  )
