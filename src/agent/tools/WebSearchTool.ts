/**
 * `web_search(query, count?)`: Brave Search's web results as numbered title/URL/description lines. The key comes
 * from `tools.web.search.apiKey` or `BRAVE_API_KEY`; without one the tool says where to put it.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { AppConfig } from "../../config/AppConfig.ts"
import { Environment } from "../../platform/Environment.ts"
import { makeTool, type Tool, ToolError } from "./Tool.ts"

const REQUEST_TIMEOUT = Duration.seconds(20)

const WebSearchParameters = Schema.Struct({
  query: Schema.String.annotate({ description: "What to search for" }),
  count: Schema.optionalKey(
    Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 10 })).annotate({
      description: "Number of results, 1-10",
    }),
  ),
})

const BraveResponse = Schema.Struct({
  web: Schema.optionalKey(Schema.Struct({
    results: Schema.Array(Schema.Struct({
      title: Schema.String,
      url: Schema.String,
      description: Schema.optionalKey(Schema.String),
    })),
  })),
})

const plain = (html: string) =>
  html.replace(/<[^>]+>/g, "").replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">").replace(/&amp;/g, "&").trim()

const statusMessage = (status: number) =>
  status === 401 || status === 403
    ? `Brave Search rejected the API key (HTTP ${status}); check tools.web.search.apiKey or BRAVE_API_KEY`
    : status === 429
    ? "Brave Search rate limit reached (HTTP 429); try again later"
    : `Brave Search failed with HTTP ${status}`

export const webSearchTool: Effect.Effect<Tool, never, AppConfig | Environment | HttpClient.HttpClient> = Effect
  .gen(function* () {
    const { config, path: configPath } = yield* AppConfig
    const env = yield* Environment
    const client = yield* HttpClient.HttpClient
    const { apiKey, apiBase, maxResults } = config.tools.web.search

    return makeTool({
      name: "web_search",
      description: "Search the web (Brave Search). Returns titles, URLs and snippets.",
      parameters: WebSearchParameters,
      execute: Effect.fn("web_search")(function* ({ query, count }) {
        const key = apiKey === undefined ? env.get("BRAVE_API_KEY") : Redacted.value(apiKey)
        if (key === undefined || key === "") {
          return yield* new ToolError({
            message: `No Brave Search API key: set tools.web.search.apiKey in ${configPath} ` +
              `or the BRAVE_API_KEY environment variable`,
          })
        }
        const wanted = count ?? maxResults
        const response = yield* client.execute(
          HttpClientRequest.get(apiBase, {
            urlParams: { q: query, count: String(wanted) },
            headers: { Accept: "application/json", "X-Subscription-Token": key },
          }),
        ).pipe(
          Effect.timeoutOrElse({
            duration: REQUEST_TIMEOUT,
            orElse: () => Effect.fail(new ToolError({ message: "Brave Search did not answer within 20 s" })),
          }),
          Effect.mapError((error) =>
            error._tag === "ToolError" ? error : new ToolError({ message: `Brave Search failed: ${error.message}` })
          ),
        )
        if (response.status < 200 || response.status >= 300) {
          return yield* new ToolError({ message: statusMessage(response.status) })
        }
        const body = yield* HttpClientResponse.schemaBodyJson(BraveResponse)(response).pipe(
          Effect.mapError(() => new ToolError({ message: "Brave Search returned an unexpected response" })),
        )
        const results = (body.web?.results ?? []).slice(0, wanted)
        if (results.length === 0) return `No results for: ${query}`
        const lines = results.map((r, i) => {
          const description = r.description === undefined ? "" : plain(r.description)
          return `${i + 1}. ${plain(r.title)}\n   ${r.url}${description === "" ? "" : `\n   ${description}`}`
        })
        return `Results for: ${query}\n\n${lines.join("\n")}`
      }),
    })
  })
