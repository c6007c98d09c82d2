/**
 * Who may connect: nobody is checked on loopback without auth configured; with a shared `token` the query's
 * `token` must match (constant-time); with an `authEndpoint` the query parameters are POSTed there as JSON and a
 * `{success:true,data:{userId,username}}` answer names the user (the openclaw-websocket flow).
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { timingSafeEqual } from "node:crypto"
import type { WebSocketConfig } from "./WebSocketConfig.ts"
import { authFailed, TOKEN_REQUIRED } from "./protocol.ts"

export type AuthResult =
  | { readonly _tag: "Anonymous" }
  | { readonly _tag: "Token" }
  | { readonly _tag: "User"; readonly userId: string; readonly username?: string }
  | { readonly _tag: "Rejected"; readonly error: string }

export const constantTimeEquals = (a: string, b: string) => {
  const left = new TextEncoder().encode(a)
  const right = new TextEncoder().encode(b)
  const same = left.length === right.length
  return timingSafeEqual(same ? left : right, right) && same
}

export const authEnabled = (config: WebSocketConfig) => config.token !== undefined || config.authEndpoint !== undefined

export const authenticate = (config: WebSocketConfig, query: URLSearchParams) =>
  Effect.gen(function* () {
    const token = query.get("token") ?? ""
    if (config.authEndpoint !== undefined) {
      if (token === "") return { _tag: "Rejected", error: TOKEN_REQUIRED } satisfies AuthResult
      const body = Object.fromEntries(query.entries())
      const endpoint = config.authEndpoint
      const answer = yield* Effect.tryPromise({
        try: async (signal) => {
          const response = await fetch(endpoint, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ tokenType: "local", ...body }),
            signal,
          })
          const json = await response.json().catch(() => undefined) as
            | { success?: unknown; data?: { userId?: unknown; username?: unknown }; code?: unknown }
            | undefined
          return { status: response.status, json }
        },
        catch: () => "unreachable",
      }).pipe(Effect.timeout("10 seconds"), Effect.orElseSucceed(() => "unreachable" as const))
      if (answer === "unreachable") return { _tag: "Rejected", error: authFailed("unreachable") } satisfies AuthResult
      const userId = answer.json?.data?.userId
      if (answer.status < 300 && answer.json?.success === true && typeof userId === "string" && userId !== "") {
        const username = answer.json.data?.username
        return typeof username === "string"
          ? { _tag: "User", userId, username } satisfies AuthResult
          : { _tag: "User", userId } satisfies AuthResult
      }
      const code = typeof answer.json?.code === "string" || typeof answer.json?.code === "number"
        ? answer.json.code
        : answer.status
      return { _tag: "Rejected", error: authFailed(code) } satisfies AuthResult
    }
    if (config.token !== undefined) {
      if (token === "") return { _tag: "Rejected", error: TOKEN_REQUIRED } satisfies AuthResult
      return constantTimeEquals(token, Redacted.value(config.token))
        ? { _tag: "Token" } satisfies AuthResult
        : { _tag: "Rejected", error: authFailed("invalid token") } satisfies AuthResult
    }
    return { _tag: "Anonymous" } satisfies AuthResult
  })
