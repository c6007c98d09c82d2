/**
 * Under a scoped `--allow-env=A,B` grant, Deno throws when code lists the environment or reads a variable outside
 * the list. npm packages do both at import time (`debug`, under socket.io and mqtt, lists `process.env` to find
 * `DEBUG_*` options), which would take the process down before claw starts. This module, imported first by
 * `main.ts`, makes `process.env` treat a variable the permissions do not grant as unset, and a listing the
 * permissions forbid as empty. Deno's own `Deno.env` is unchanged; claw reads it through `Environment`.
 */
import process from "node:process"

const isDenied = (error: unknown) =>
  error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied

const orElse = <A>(read: () => A, fallback: A): A => {
  try {
    return read()
  } catch (error) {
    if (isDenied(error)) return fallback
    throw error
  }
}

const original = process.env

const guarded = new Proxy({} as typeof process.env, {
  get: (_target, key) => typeof key === "string" ? orElse(() => original[key], undefined) : undefined,
  has: (_target, key) => typeof key === "string" && orElse(() => key in original, false),
  ownKeys: () => orElse(() => Reflect.ownKeys(original), []),
  getOwnPropertyDescriptor: (_target, key) =>
    typeof key !== "string" ? undefined : orElse(() => {
      const value = original[key]
      return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true }
    }, undefined),
  set: (_target, key, value) => orElse(() => Reflect.set(original, key, value), true),
  deleteProperty: (_target, key) => orElse(() => Reflect.deleteProperty(original, key), true),
  defineProperty: (_target, key, descriptor) => orElse(() => Reflect.defineProperty(original, key, descriptor), true),
})

/** Whether the process may list every variable (an unscoped `--allow-env`). */
export const canListEnv = () => orElse(() => (Deno.env.toObject(), true), false)

if (!canListEnv()) process.env = guarded
