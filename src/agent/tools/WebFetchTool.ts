/**
 * `web_fetch(url, extractMode?, maxChars?)`: fetches an http(s) page and returns readable Markdown or text (JSON
 * pretty-printed), headed by the final URL and status. Unless `tools.web.fetch.allowPrivateNetwork`, no hop may
 * reach a loopback, private, link-local, CGNAT or otherwise internal address: IP literals are checked before
 * connecting and host names inside the connection's own DNS lookup (see `addressPolicy.ts`). Redirects are followed
 * by hand, at most 5, each hop checked again; the body read is capped.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Schema from "effect/Schema"
import { AppConfig } from "../../config/AppConfig.ts"
import { type AddressCheck, blockedReason, findBlocked, guardedLookup, ipLiteral } from "./internal/addressPolicy.ts"
import { readBody, renderBody } from "./internal/webContent.ts"
import { makeTool, type Tool, ToolError } from "./Tool.ts"

export const WEB_FETCH_MAX_REDIRECTS = 5
const HOP_TIMEOUT = Duration.seconds(30)
const USER_AGENT = "Mozilla/5.0 (compatible; claw-web-fetch/1.0)"
const REDIRECTS = new Set([301, 302, 303, 307, 308])

const WebFetchParameters = Schema.Struct({
  url: Schema.String.annotate({ description: "The http(s) URL to fetch" }),
  extractMode: Schema.optionalKey(
    Schema.Literals(["markdown", "text"]).annotate({ description: "Output format for HTML pages (default markdown)" }),
  ),
  maxChars: Schema.optionalKey(
    Schema.Int.check(Schema.isGreaterThanOrEqualTo(100)).annotate({ description: "Maximum characters to return" }),
  ),
})

export interface WebFetchOptions {
  readonly allowPrivateNetwork: boolean
  readonly maxChars: number
  /** Which addresses are refused (default: `blockedReason`); tests swap it to reach a loopback server. */
  readonly check?: AddressCheck
}

/** The innermost message of a failure (e.g. "getaddrinfo ENOTFOUND host" under "Transport error"). */
const rootMessage = (error: Error) => {
  let message = error.message
  for (let cause = error.cause, depth = 0; cause instanceof Error && depth < 10; cause = cause.cause, depth++) {
    if (cause.message !== "") message = cause.message
  }
  return message
}

const refuse = (message: string) => Effect.fail(new ToolError({ message }))

const parseUrl = (text: string, base?: URL) => {
  const parsed = URL.parse(text, base)
  if (parsed === null) return refuse(`Invalid URL: ${JSON.stringify(text)}`)
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return refuse(`Only http and https URLs can be fetched, not ${parsed.protocol.slice(0, -1)}: ${text}`)
  }
  return Effect.succeed(parsed)
}

export const makeWebFetchTool = (options: WebFetchOptions): Tool => {
  const check = options.check ?? blockedReason
  const hint = "set tools.web.fetch.allowPrivateNetwork to true to allow it"

  const checkLiteral = (url: URL) => {
    const literal = options.allowPrivateNetwork ? undefined : ipLiteral(url.hostname)
    const reason = literal === undefined ? undefined : check(literal)
    return reason === undefined
      ? Effect.void
      : refuse(`Refused to fetch ${url.href}: ${literal} is ${reason} (${hint})`)
  }

  const fetchHop = (client: HttpClient.HttpClient, url: URL) =>
    client.execute(HttpClientRequest.get(url, {
      headers: {
        "User-Agent": USER_AGENT,
        Accept: "text/html,application/xhtml+xml,application/json,text/*;q=0.9,*/*;q=0.5",
      },
    })).pipe(
      Effect.timeoutOrElse({ duration: HOP_TIMEOUT, orElse: () => refuse(`No answer from ${url.href} within 30 s`) }),
      Effect.mapError((error) => {
        if (error._tag === "ToolError") return error
        const blocked = findBlocked(error)
        return new ToolError({
          message: blocked === undefined
            ? `Cannot fetch ${url.href}: ${rootMessage(error)}`
            : `Refused to fetch ${url.href}: ${blocked.message} (${hint})`,
        })
      }),
    )

  const follow = Effect.fn("web_fetch.follow")(function* (client: HttpClient.HttpClient, start: URL) {
    let url = start
    for (let hop = 0;; hop++) {
      yield* checkLiteral(url)
      const response: HttpClientResponse.HttpClientResponse = yield* fetchHop(client, url)
      const location = response.headers["location"]
      if (!REDIRECTS.has(response.status) || location === undefined) return { url, response }
      if (hop >= WEB_FETCH_MAX_REDIRECTS) {
        return yield* refuse(`Too many redirects (more than ${WEB_FETCH_MAX_REDIRECTS}) starting at ${start.href}`)
      }
      url = yield* parseUrl(location, url)
    }
  })

  return makeTool({
    name: "web_fetch",
    description: "Fetch a web page (http/https) and return its main content as Markdown or plain text; " +
      "JSON is pretty-printed. Private and local network addresses are refused.",
    parameters: WebFetchParameters,
    execute: Effect.fn("web_fetch")(function* ({ url: input, extractMode, maxChars }) {
      const start = yield* parseUrl(input)
      const agent = yield* NodeHttpClient.makeAgent(
        options.allowPrivateNetwork ? {} : { lookup: guardedLookup(check) },
      )
      const client = yield* NodeHttpClient.makeNodeHttp.pipe(Effect.provideService(NodeHttpClient.HttpAgent, agent))
      const { url, response } = yield* follow(client, start)
      const body = yield* readBody(response).pipe(
        Effect.mapError((error) => new ToolError({ message: `Cannot read the body of ${url.href}: ${error.message}` })),
        Effect.timeoutOrElse({ duration: HOP_TIMEOUT, orElse: () => refuse(`Reading ${url.href} took over 30 s`) }),
      )
      const rendered = yield* renderBody(body, url.href, extractMode ?? "markdown")
      const limit = maxChars ?? options.maxChars
      const header = [`URL: ${url.href}`, `Status: ${response.status}`]
      if (rendered.title !== undefined) header.push(`Title: ${rendered.title}`)
      const notes: Array<string> = []
      if (body.truncated) notes.push(`[The body was larger than ${body.bytes.length} bytes; only that much was read.]`)
      if (rendered.content.length > limit) {
        notes.push(`[Truncated: showing ${limit} of ${rendered.content.length} characters; pass a larger maxChars.]`)
      }
      return [header.join("\n"), rendered.content.slice(0, limit), ...notes].join("\n\n")
    }, Effect.scoped),
  })
}

export const webFetchTool: Effect.Effect<Tool, never, AppConfig> = Effect.gen(function* () {
  const { config } = yield* AppConfig
  return makeWebFetchTool(config.tools.web.fetch)
})
