/**
 * Turns Deno's permission errors (`NotCapable`, `PermissionDenied`: `Requires net access to "host:443", run again
 * with the --allow-net flag`) into one line that names the permission and the exact flag that grants it, and points
 * at `claw permissions` for the whole profile. Used where such an error reaches the user: main.ts and adapters.
 */

export interface MissingPermission {
  readonly kind: string
  readonly target: string | undefined
  readonly flag: string
}

const REQUIRES = /Requires (\w+) access(?: to "([^"]+)")?, (?:run again with|specify) the (--allow-\w+) flag/
const PERMISSION_ERRORS = new Set(["NotCapable", "PermissionDenied"])

/** The permission a Deno error asks for, found anywhere in its cause chain. */
export const findMissingPermission = (error: unknown): MissingPermission | undefined => {
  for (let current = error, depth = 0; current instanceof Object && depth < 10; depth++) {
    const { message, name } = current as { readonly message?: unknown; readonly name?: unknown }
    if (typeof message === "string") {
      const match = REQUIRES.exec(message)
      if (match !== null) return { kind: match[1]!, target: match[2], flag: match[3]! }
      if (PERMISSION_ERRORS.has(String(name))) return { kind: "some", target: undefined, flag: "--allow-…" }
    }
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/** `claw is missing net access to "api.example.com:443": grant it with --allow-net=api.example.com:443 …` */
export const describeMissingPermission = (missing: MissingPermission, others = 0) =>
  `claw is missing ${missing.kind} access${missing.target === undefined ? "" : ` to "${missing.target}"`}` +
  `${others > 0 ? ` and ${others} more permission${others === 1 ? "" : "s"}` : ""}: ` +
  `grant it with ${missing.target === undefined ? missing.flag : `${missing.flag}=${missing.target}`} ` +
  "(claw permissions prints every flag this config needs; deno task start applies them)"
