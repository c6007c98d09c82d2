/**
 * Checks, before the agent starts, that the running process holds the permissions its configuration needs (the
 * same needs `permissionProfile` lists, minus web_fetch's open network). A gap is reported as one line naming the
 * first missing permission and its flag — e.g. `claw is missing write access to "/srv/claw": grant it with
 * --allow-write=/srv/claw (…)` — and the command exits 1, instead of failing later in the middle of a turn.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { isExecEnabled } from "../../agent/tools/ExecTool.ts"
import { CliFailure } from "../../cli/CliFailure.ts"
import { AppConfig } from "../../config/AppConfig.ts"
import { Environment } from "../../platform/Environment.ts"
import { type PermissionQuery, Permissions } from "../../platform/Permissions.ts"
import { describeMissingPermission, type MissingPermission } from "./missingPermission.ts"
import { netNeeds } from "./netAccess.ts"

const targetOf = (query: PermissionQuery) =>
  "path" in query
    ? query.path
    : "host" in query
    ? query.host
    : "command" in query
    ? query.command
    : "kind" in query
    ? query.kind
    : query.variable

export const missingPermissions = Effect.gen(function* () {
  const app = yield* AppConfig
  const env = yield* Environment
  const permissions = yield* Permissions
  const { config } = app
  const queries: Array<PermissionQuery> = [
    { name: "read", path: app.home },
    { name: "write", path: app.home },
    { name: "read", path: app.workspace },
    { name: "write", path: app.workspace },
    ...(app.fileExists ? [{ name: "read", path: app.path } as const] : []),
    { name: "sys", kind: "uid" },
    ...netNeeds(config, env.get).needs.map((need): PermissionQuery => ({ name: "net", host: need.address })),
  ]
  if (isExecEnabled(config.tools) && config.tools.exec.allowedCommands.length === 0) {
    queries.push({ name: "run", command: "sh" })
  }
  return queries.filter((query) => !permissions.granted(query)).map((query): MissingPermission => ({
    kind: query.name,
    target: targetOf(query),
    flag: `--allow-${query.name}`,
  }))
})

/** Fails the command with one explanatory line when a needed permission is missing. */
export const permissionPreflight = Layer.effectDiscard(Effect.gen(function* () {
  const missing = yield* missingPermissions
  const first = missing[0]
  if (first === undefined) return
  yield* Console.error(describeMissingPermission(first, missing.length - 1))
  return yield* new CliFailure({ message: "missing permissions" })
})).pipe(Layer.provide(Permissions.layer))
