/**
 * The six Mochat HTTP endpoints the channel uses. Every call is a JSON `POST` carrying `X-Claw-Token` (the only
 * place the token goes over HTTP); replies come wrapped as `{code, data}`. Failures become one `MochatHttpError`
 * that says which call failed and whether retrying can help; a 401 is `authFailed`.
 */
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { MochatConfig } from "./MochatConfig.ts"

export class MochatHttpError extends Schema.TaggedError<MochatHttpError>()("MochatHttpError", {
  path: Schema.String,
  message: Schema.String,
  /** The HTTP status, or the envelope's `code` when the status was 2xx. */
  status: Schema.optionalKey(Schema.Number),
  retryable: Schema.Boolean,
  authFailed: Schema.Boolean,
}) {}

export const AUTH_REJECTED = "Mochat rejected claw_token"

const Envelope = Schema.Struct({
  code: Schema.Int,
  data: Schema.optionalKey(Schema.Unknown),
  message: Schema.optionalKey(Schema.String),
  name: Schema.optionalKey(Schema.String),
})
const decodeEnvelope = Schema.decodeUnknownOption(Envelope)
const ErrorBody = Schema.Struct({ message: Schema.optionalKey(Schema.String), name: Schema.optionalKey(Schema.String) })
const decodeErrorBody = Schema.decodeUnknownOption(ErrorBody)
const parseJson = Schema.decodeUnknownEffect(Schema.fromJsonString(Schema.Unknown))

export const SessionInfo = Schema.Struct({ sessionId: Schema.String, converseId: Schema.optionalKey(Schema.String) })
export type SessionInfo = typeof SessionInfo.Type
export const PanelInfo = Schema.Struct({
  id: Schema.optionalKey(Schema.String),
  _id: Schema.optionalKey(Schema.String),
  name: Schema.optionalKey(Schema.String),
  type: Schema.optionalKey(Schema.Number),
})
export type PanelInfo = typeof PanelInfo.Type

const SessionsReply = Schema.Struct({ sessions: Schema.Array(Schema.Unknown) })
const GroupReply = Schema.Struct({ _id: Schema.optionalKey(Schema.String), panels: Schema.Array(Schema.Unknown) })
const MessagesReply = Schema.Struct({ messages: Schema.Array(Schema.Unknown) })

/** Decodes each item on its own so one malformed entry is skipped, not the whole list. */
const decodeEach = <S extends Schema.Top & { readonly DecodingServices: never }>(
  schema: S,
  items: ReadonlyArray<unknown>,
) =>
  items.flatMap((item) => {
    const decoded = Schema.decodeUnknownOption(schema)(item)
    return decoded._tag === "Some" ? [decoded.value as S["Type"]] : []
  })

const failure = (path: string, message: string, status?: number) =>
  new MochatHttpError({
    path,
    message: status === 401 ? `${AUTH_REJECTED} (401 from ${path})` : `Mochat ${path} failed: ${message}`,
    ...(status !== undefined ? { status } : {}),
    retryable: status === undefined || status === 429 || status >= 500,
    authFailed: status === 401,
  })

const unwrap = (path: string, status: number, body: unknown) => {
  const envelope = decodeEnvelope(body)
  const detail = (fallback: string) => {
    const error = decodeErrorBody(body)
    return error._tag === "Some" ? error.value.message ?? error.value.name ?? fallback : fallback
  }
  if (status < 200 || status > 299) return Effect.fail(failure(path, detail(`HTTP ${status}`), status))
  if (envelope._tag === "None") return Effect.succeed(body)
  if (envelope.value.code === 200) return Effect.succeed(envelope.value.data)
  return Effect.fail(failure(path, detail(`code ${envelope.value.code}`), envelope.value.code))
}

export const makeMochatHttp = (config: MochatConfig) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const base = config.baseUrl.replace(/\/+$/, "")
    const token = config.clawToken === undefined ? "" : Redacted.value(config.clawToken)

    const post = (path: string, body: Readonly<Record<string, unknown>>, timeoutMs = 30_000) =>
      client.execute(
        HttpClientRequest.post(`${base}${path}`, {
          headers: { "Content-Type": "application/json", "X-Claw-Token": token },
        }).pipe(HttpClientRequest.bodyText(JSON.stringify(body), "application/json")),
      ).pipe(
        Effect.flatMap((response) =>
          response.text.pipe(
            Effect.map((text) => ({ status: response.status, text })),
          )
        ),
        Effect.mapError((error) => failure(path, error.message)),
        Effect.timeoutOrElse({
          duration: timeoutMs,
          orElse: () => Effect.fail(failure(path, `no answer within ${timeoutMs} ms`)),
        }),
        Effect.flatMap(({ status, text }) =>
          parseJson(text === "" ? "{}" : text).pipe(
            Effect.mapError(() => failure(path, `the reply is not JSON (HTTP ${status})`, status < 300 ? 502 : status)),
            Effect.flatMap((parsed) => unwrap(path, status, parsed)),
          )
        ),
      )

    const decodeData =
      <S extends Schema.Top & { readonly DecodingServices: never }>(path: string, schema: S) => (data: unknown) =>
        Schema.decodeUnknownEffect(schema)(data).pipe(
          Effect.mapError((issue) => failure(path, `unexpected reply: ${issue.message}`, 502)),
        ) as Effect.Effect<S["Type"], MochatHttpError>

    return {
      listSessions: Effect.fn("MochatHttp.listSessions")(function* () {
        const path = "/api/claw/sessions/list"
        const data = yield* post(path, {}).pipe(Effect.flatMap(decodeData(path, SessionsReply)))
        return decodeEach(SessionInfo, data.sessions)
      }),
      watchSession: Effect.fn("MochatHttp.watchSession")((sessionId: string, cursor: number) =>
        post(
          "/api/claw/sessions/watch",
          { sessionId, cursor, timeoutMs: config.watchTimeoutMs, limit: config.watchLimit },
          config.watchTimeoutMs + 10_000,
        )
      ),
      sendToSession: Effect.fn("MochatHttp.sendToSession")((sessionId: string, content: string) =>
        post("/api/claw/sessions/send", { sessionId, content })
      ),
      getGroup: Effect.fn("MochatHttp.getGroup")(function* () {
        const path = "/api/claw/groups/get"
        const data = yield* post(path, {}).pipe(Effect.flatMap(decodeData(path, GroupReply)))
        return { groupId: data._id, panels: decodeEach(PanelInfo, data.panels) }
      }),
      panelMessages: Effect.fn("MochatHttp.panelMessages")(function* (panelId: string, groupId: string | undefined) {
        const path = "/api/claw/groups/panels/messages"
        const body = { panelId, limit: Math.min(100, config.watchLimit), ...(groupId ? { groupId } : {}) }
        const data = yield* post(path, body).pipe(Effect.flatMap(decodeData(path, MessagesReply)))
        return data.messages
      }),
      sendToPanel: Effect.fn("MochatHttp.sendToPanel")(
        (panelId: string, groupId: string | undefined, content: string) =>
          post("/api/claw/groups/panels/send", { panelId, content, ...(groupId ? { groupId } : {}) }),
      ),
    }
  }).pipe(Effect.provide(FetchHttpClient.layer))

export type MochatHttp = Effect.Success<ReturnType<typeof makeMochatHttp>>
