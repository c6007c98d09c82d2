/**
 * The body side of web_fetch: reads at most `MAX_BODY_BYTES` of a response, decodes it with its declared charset,
 * and renders it for the model — HTML as readable Markdown/text, JSON pretty-printed, other text as is. Binary
 * content is refused with its type and size.
 */
import * as Effect from "effect/Effect"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Stream from "effect/Stream"
import { ToolError } from "../Tool.ts"

export const MAX_BODY_BYTES = 5 * 1024 * 1024

export interface Body {
  readonly bytes: Uint8Array
  readonly truncated: boolean
  readonly contentType: string
}

export const readBody = (response: HttpClientResponse.HttpClientResponse) =>
  Effect.gen(function* () {
    const chunks: Array<Uint8Array> = []
    let size = 0
    let truncated = false
    yield* response.stream.pipe(
      Stream.runForEachWhile((chunk) =>
        Effect.sync(() => {
          const room = MAX_BODY_BYTES - size
          chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk)
          size += Math.min(chunk.length, room)
          truncated = chunk.length > room
          return !truncated && size < MAX_BODY_BYTES
        })
      ),
    )
    const bytes = new Uint8Array(size)
    let offset = 0
    for (const chunk of chunks) {
      bytes.set(chunk, offset)
      offset += chunk.length
    }
    return { bytes, truncated, contentType: response.headers["content-type"] ?? "" } satisfies Body
  })

const decoderFor = (contentType: string) => {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1]
  try {
    return new TextDecoder(charset ?? "utf-8")
  } catch {
    return new TextDecoder("utf-8")
  }
}

const isUtf8 = (bytes: Uint8Array) => {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true })
    return true
  } catch {
    return false
  }
}

const prettyJson = (text: string) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

const TEXTUAL =
  /^(text\/|application\/(json|xml|xhtml\+xml|javascript|ecmascript|x-javascript|ld\+json)|.*\+(json|xml))/i
const LOOKS_LIKE_HTML = /^\s*(<!doctype html|<html|<head|<body)/i

export interface Rendered {
  readonly title: string | undefined
  readonly content: string
}

export const renderBody = (
  body: Body,
  url: string,
  mode: "markdown" | "text",
): Effect.Effect<Rendered, ToolError> => {
  const type = body.contentType.split(";")[0]!.trim().toLowerCase()
  if (type !== "" ? !TEXTUAL.test(type) : !isUtf8(body.bytes.subarray(0, 4096))) {
    return Effect.fail(
      new ToolError({
        message: `${url} is ${type || "binary content"} (${body.bytes.length} bytes), not text`,
      }),
    )
  }
  const text = decoderFor(body.contentType).decode(body.bytes)
  if (type.includes("json")) return Effect.succeed({ title: undefined, content: prettyJson(text) })
  const isHtml = type === "text/html" || type === "application/xhtml+xml" || (type === "" && LOOKS_LIKE_HTML.test(text))
  if (!isHtml) return Effect.succeed({ title: undefined, content: text })
  return Effect.promise(() => import("./readableHtml.ts")).pipe(
    Effect.flatMap(({ htmlToReadable }) =>
      Effect.try({
        try: () => htmlToReadable(text, url, mode),
        catch: (error) => new ToolError({ message: `Cannot extract text from ${url}: ${String(error)}` }),
      })
    ),
  )
}
