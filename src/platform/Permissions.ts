/**
 * Deno's permission state as a service, so claw can check up front that it may do what its configuration asks
 * (see `security/permissions/preflight.ts`) and explain a missing grant instead of failing halfway. `layerAll`
 * grants everything (tests of other concerns).
 */
import * as Context from "effect/Context"
import * as Layer from "effect/Layer"

export type PermissionQuery =
  | { readonly name: "read" | "write"; readonly path: string }
  | { readonly name: "net"; readonly host: string }
  | { readonly name: "run"; readonly command: string }
  | { readonly name: "env"; readonly variable: string }
  | { readonly name: "sys"; readonly kind: "uid" | "hostname" | "osRelease" }

export class Permissions extends Context.Service<Permissions, {
  /** Whether the permission is granted now (never prompts). */
  readonly granted: (query: PermissionQuery) => boolean
}>()("claw/platform/Permissions") {
  static readonly layer = Layer.succeed(
    Permissions,
    Permissions.of({
      granted: (query) => {
        try {
          return Deno.permissions.querySync(query as Deno.PermissionDescriptor).state === "granted"
        } catch {
          return false
        }
      },
    }),
  )

  static readonly layerAll = Layer.succeed(Permissions, Permissions.of({ granted: () => true }))
}
