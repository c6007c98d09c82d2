/**
 * `claw status`: where things are (config, CLAW_HOME, workspace), which provider and model answer, which keys are
 * set (never their values), which channels are enabled and how many tokens were spent today and in all.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { gatewayStatusLines } from "../../channels/gatewayStatus.ts"
import { socketChatAccounts } from "../../channels/socket-chat/SocketChatConfig.ts"
import { AppConfig } from "../../config/AppConfig.ts"
import { Database } from "../../storage/Database.ts"
import { StateStore } from "../../storage/StateStore.ts"
import { Environment } from "../../platform/Environment.ts"
import { missingKeyAdvice } from "../../providers/advice.ts"
import { PROVIDERS } from "../../providers/ProviderRegistry.ts"
import { resolveProvider } from "../../providers/resolveProvider.ts"
import { ToolSandbox } from "../../agent/tools/ToolSandbox.ts"
import { runCommand } from "../runCommand.ts"
import { tokenStatusLines } from "./sessions.ts"

/** Shows that a key is set without revealing it: the first 3 and last 2 characters at most. */
export const maskKey = (key: string) => key.length <= 8 ? "•".repeat(key.length) : `${key.slice(0, 3)}…${key.slice(-2)}`

export const statusLines = Effect.gen(function* () {
  const app = yield* AppConfig
  const env = yield* Environment
  const { model, provider } = app.config.agents.defaults
  const lookup = resolveProvider({ model, provider }, app.config.providers, env.get)
  const lines = [
    `Config:    ${app.path}${app.fileExists ? "" : " (not found; using embedded defaults)"}`,
    `CLAW_HOME: ${app.home}`,
    `Workspace: ${app.workspace}`,
    `Model:     ${model}`,
    lookup._tag === "Found"
      ? `Provider:  ${lookup.provider.spec.displayName} (${lookup.provider.matchedBy}; sends model "${lookup.provider.apiModel}"${
        lookup.provider.apiBase === undefined ? "" : ` to ${lookup.provider.apiBase}`
      })`
      : "Provider:  none",
  ]
  const advice = missingKeyAdvice(lookup, model, app.path)
  if (advice !== undefined) lines.push(`Warning:   ${advice}`)
  lines.push("", "API keys:")
  for (const spec of PROVIDERS) {
    const configured = app.config.providers[spec.name]?.apiKey
    const fromEnv = spec.envKeys.find((name) => (env.get(name) ?? "") !== "")
    const state = configured !== undefined
      ? `set in config (${maskKey(Redacted.value(configured))})`
      : fromEnv !== undefined
      ? `set by ${fromEnv} (${maskKey(env.get(fromEnv) ?? "")})`
      : spec.isLocal === true && app.config.providers[spec.name]?.apiBase !== undefined
      ? "local server, no key needed"
      : "not set"
    lines.push(`  ${spec.name.padEnd(11)} ${state}`)
  }
  const { mochat, socketChat, websocket } = app.config.channels
  const channels = [
    ...(websocket.enabled ? [`websocket (${websocket.host}:${websocket.port})`] : []),
    ...(mochat.enabled ? ["mochat"] : []),
    ...socketChatAccounts(socketChat).filter((account) => account.enabled).map((account) =>
      account.accountId === "default" ? "socket-chat" : `socket-chat:${account.accountId}`
    ),
  ]
  lines.push("", `Channels:  ${channels.length === 0 ? "none enabled" : channels.join(", ")}`)
  return lines
})

/** The running gateway's channels, read without creating a database that is not there. */
const liveChannelLines = Effect.gen(function* () {
  const app = yield* AppConfig
  const fs = yield* FileSystem.FileSystem
  if (!(yield* fs.exists(app.databasePath).pipe(Effect.orElseSucceed(() => false)))) return ["Gateway not running."]
  return yield* gatewayStatusLines.pipe(
    Effect.provide(StateStore.layer.pipe(Layer.provide(Database.layerFile(app.databasePath)))),
    Effect.orElseSucceed(() => ["Gateway status unavailable (the store could not be read)."]),
  )
})

export const run = () =>
  runCommand(
    { defaultLevel: "Warn", layer: ToolSandbox.layer },
    Effect.all([statusLines, liveChannelLines, tokenStatusLines, ToolSandbox.statusLines]).pipe(
      Effect.flatMap(([lines, live, tokens, sandbox]) =>
        Console.log([...lines, ...live.map((line) => `  ${line}`), "", ...tokens, "", ...sandbox].join("\n"))
      ),
    ),
  )
