/**
 * The permission profile of the running configuration: the loaded config, the variables set in this environment,
 * the exec wrapper `ToolSandbox` found working and whether claw's `node_modules` directory exists. Printed by
 * `claw permissions`; `scripts/start.ts` launches the gateway with it.
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import { ToolSandbox } from "../../agent/tools/ToolSandbox.ts"
import { AppConfig } from "../../config/AppConfig.ts"
import { Environment } from "../../platform/Environment.ts"
import { APP_PATHS } from "./appPaths.ts"
import { type PermissionProfile, permissionProfile } from "./PermissionProfile.ts"

export const currentProfile = Effect.fn("currentProfile")(function* (options: { readonly strictNet: boolean }) {
  const app = yield* AppConfig
  const env = yield* Environment
  const sandbox = yield* ToolSandbox
  const fs = yield* FileSystem.FileSystem
  const nodeModules = yield* fs.exists(APP_PATHS.nodeModules).pipe(Effect.orElseSucceed(() => false))
  const profile: PermissionProfile = permissionProfile({
    app,
    env: env.get,
    presentEnv: Object.keys(env.all()),
    os: env.os,
    execWrappers: sandbox.execWrapper === undefined ? [] : [sandbox.execWrapper.kind],
    nodeModules,
    strictNet: options.strictNet,
  })
  return profile
})
