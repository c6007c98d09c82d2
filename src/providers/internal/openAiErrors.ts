/**
 * Translates whatever the OpenAI SDK throws (HTTP errors, connection failures, timeouts, broken streams) into a
 * `ProviderError`, once, with a message safe to show a user: the key is scrubbed, headers are never included.
 */
import type OpenAI from "openai"
import { ProviderError } from "../LlmProvider.ts"

type Reason = ProviderError["reason"]

export interface ErrorContext {
  readonly provider: string
  readonly displayName: string
  readonly apiBase: string | undefined
  readonly keySource: string | undefined
  /** The API key in clear, only so it can be scrubbed from server-provided text. */
  readonly secret: string | undefined
  readonly timeoutS: number
}

const MAX_DETAIL = 300

const scrub = (text: string, secret: string | undefined) => {
  const withoutKey = secret !== undefined && secret.length >= 4 ? text.split(secret).join("[redacted]") : text
  const cleaned = withoutKey
    .replace(/Bearer\s+\S+/gi, "Bearer [redacted]")
    .replace(/\b(sk-[A-Za-z0-9_-]{6})[A-Za-z0-9_-]+/g, "$1…")
    .replace(/\s+/g, " ")
    .trim()
  return cleaned.length > MAX_DETAIL ? `${cleaned.slice(0, MAX_DETAIL - 1)}…` : cleaned
}

const safeBase = (apiBase: string | undefined) => {
  if (apiBase === undefined) return undefined
  try {
    const url = new URL(apiBase)
    return `${url.origin}${url.pathname}`
  } catch {
    return undefined
  }
}

/** `retry-after-ms`, else `Retry-After` as seconds or an HTTP date, in milliseconds from `nowMs`. */
export const parseRetryAfterMs = (headers: Headers | undefined, nowMs: number): number | undefined => {
  const millis = Number.parseFloat(headers?.get("retry-after-ms") ?? "")
  if (Number.isFinite(millis) && millis >= 0) return millis
  const value = headers?.get("retry-after")?.trim()
  if (value === undefined || value === "") return undefined
  if (/^\d+(\.\d+)?$/.test(value)) return Number.parseFloat(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

/** The first part of every message, also used to restate it once retries are exhausted. */
export const headline = (context: ErrorContext, reason: Reason, status: number | undefined) => {
  const name = `The LLM provider ${context.displayName}`
  const http = status === undefined ? "" : ` (HTTP ${status})`
  switch (reason) {
    case "Auth":
      return context.keySource === undefined
        ? `${name} refused the request as unauthorised${http}`
        : `${name} rejected the API key from ${context.keySource}${http}`
    case "RateLimited":
      return `${name} is rate limiting requests${http}`
    case "ServerError":
      return `${name} is unavailable${http}`
    case "Timeout":
      return status === undefined ? `${name} did not answer within ${context.timeoutS} s` : `${name} timed out${http}`
    case "Network": {
      const base = safeBase(context.apiBase)
      const target = `the LLM provider ${context.displayName}`
      return base === undefined ? `Cannot reach ${target}` : `Cannot reach ${target} at ${base}`
    }
    case "InvalidResponse":
      return `${name} sent an invalid response`
    default:
      return `${name} rejected the request${http}`
  }
}

const RETRYABLE: ReadonlySet<Reason> = new Set(["RateLimited", "ServerError", "Timeout", "Network"])

export const makeError = (
  context: ErrorContext,
  reason: Reason,
  detail: string,
  extra: { readonly status?: number; readonly retryAfterMs?: number } = {},
) =>
  new ProviderError({
    reason,
    provider: context.provider,
    message: `${headline(context, reason, extra.status)}: ${scrub(detail, context.secret) || "no details"}`,
    retryable: RETRYABLE.has(reason),
    ...extra,
  })

const reasonForStatus = (status: number): Reason =>
  status === 401 || status === 403
    ? "Auth"
    : status === 408
    ? "Timeout"
    : status === 429
    ? "RateLimited"
    : status >= 500
    ? "ServerError"
    : "BadRequest"

const bodyDetail = (body: unknown, fallback: string) => {
  if (typeof body === "object" && body !== null && "message" in body && typeof body.message === "string") {
    return body.message
  }
  return body === undefined || body === null ? fallback : JSON.stringify(body)
}

const causeMessage = (error: Error) => {
  const inner = error.cause instanceof Error ? error.cause : undefined
  return inner === undefined || inner.message === "" ? error.message : `${error.message} (${inner.message})`
}

/** `sdk` is the loaded OpenAI module, whose error classes the SDK's exceptions are instances of. */
export const toProviderError = (
  cause: unknown,
  context: ErrorContext,
  nowMs: number,
  sdk: typeof OpenAI,
): ProviderError => {
  if (cause instanceof ProviderError) return cause
  const OpenAI = sdk
  if (cause instanceof OpenAI.APIConnectionTimeoutError) return makeError(context, "Timeout", "the request timed out")
  if (cause instanceof OpenAI.APIUserAbortError) return makeError(context, "Network", "the request was cancelled")
  if (cause instanceof OpenAI.APIConnectionError) return makeError(context, "Network", causeMessage(cause))
  if (cause instanceof OpenAI.APIError) {
    const body: unknown = cause.error
    const code = typeof body === "object" && body !== null && "code" in body ? body.code : undefined
    const status = cause.status ?? (typeof code === "number" && code >= 400 ? code : undefined)
    const detail = bodyDetail(body, status === undefined ? cause.message : `${status} status code (no body)`)
    if (status === undefined) return makeError(context, "ServerError", `error in the response stream: ${detail}`)
    const retryAfterMs = parseRetryAfterMs(cause.headers, nowMs)
    return makeError(
      context,
      reasonForStatus(status),
      detail,
      retryAfterMs === undefined ? { status } : {
        status,
        retryAfterMs,
      },
    )
  }
  if (cause instanceof SyntaxError) return makeError(context, "InvalidResponse", cause.message)
  if (cause instanceof TypeError) return makeError(context, "Network", causeMessage(cause))
  return makeError(context, "InvalidResponse", cause instanceof Error ? causeMessage(cause) : String(cause))
}

/** Restates a transient error that outlived every retry: `... is unavailable (HTTP 503) after 4 retries: ...`. */
export const exhausted = (error: ProviderError, context: ErrorContext, retries: number): ProviderError => {
  if (retries === 0 || !error.retryable) return error
  const head = headline(context, error.reason, error.status)
  const detail = error.message.startsWith(`${head}: `) ? error.message.slice(head.length + 2) : error.message
  const times = retries === 1 ? "1 retry" : `${retries} retries`
  return new ProviderError({
    reason: error.reason,
    provider: error.provider,
    message: `${head} after ${times}: ${detail}`,
    retryable: error.retryable,
    ...(error.status === undefined ? {} : { status: error.status }),
  })
}
