/**
 * A fake OpenAI-compatible LLM server for tests and benchmarks. It speaks the real wire format (Chat Completions
 * with SSE streaming, `GET /v1/models`), so adapters are tested through the real SDK and HTTP stack.
 *
 * API:
 * - `startFakeLlm(options?: FakeLlmOptions): Promise<FakeLlm>` binds 127.0.0.1 (port 0 unless `options.port`).
 *   `options.instant` answers every chat request with the smallest valid streamed answer ("ok"), no delays;
 *   `options.apiKey` makes every request without `Authorization: Bearer <apiKey>` get a 401.
 * - `FakeLlm.url` is the API base including `/v1`; `port` the bound port.
 * - `FakeLlm.requests` records every request (method, path, lower-cased headers, parsed JSON body, `aborted` when
 *   the client hung up before the response finished).
 * - `FakeLlm.script(...responses: FakeResponse[])` queues answers, used first-in first-out by chat requests.
 * - `FakeLlm.setHandler(fn | undefined)` answers chat requests when the script is empty.
 * - Otherwise the rule-based answerer of `defaultAnswer` replies (2+2 → "4", remembers "My name is X", echoes).
 * - `FakeLlm.close(): Promise<void>` stops the server.
 *
 * A `FakeResponse` streams `reasoning`, then `text` (in several chunks), then `toolCalls` (each in fragments with
 * an id), then `finishReason` and `usage`; or sends `status` with `body` (JSON or text) and `headers`. `delayMs`
 * waits before the headers, `stallMs` pauses after the first chunk, `dropConnection` breaks the connection after
 * the first chunk, `malformed` sends a chunk that is not JSON. Non-streaming requests get one JSON completion.
 *
 * Standalone: `deno run -A tests/support/fake_llm.ts --port 0 [--instant]` prints `listening <url>`.
 */
import {
  completionJson,
  defaultAnswer,
  encodeStream,
  errorBody,
  type FakeChatBody,
  type FakeResponse,
  INSTANT_STREAM,
} from "./fake_llm_wire.ts"

export { defaultAnswer } from "./fake_llm_wire.ts"
export type { FakeChatBody, FakeMessage, FakeResponse, FakeToolCall, FakeUsage } from "./fake_llm_wire.ts"

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: FakeChatBody
  aborted: boolean
}

export type FakeHandler = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>

export interface FakeLlmOptions {
  readonly port?: number
  readonly instant?: boolean
  readonly apiKey?: string
}

export interface FakeLlm {
  readonly url: string
  readonly port: number
  readonly requests: Array<RecordedRequest>
  readonly script: (...responses: ReadonlyArray<FakeResponse>) => void
  readonly setHandler: (handler: FakeHandler | undefined) => void
  readonly close: () => Promise<void>
}

const json = (value: unknown, status = 200, headers: Readonly<Record<string, string>> = {}) =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json", ...headers } })

const sseHeaders = { "content-type": "text/event-stream", "cache-control": "no-cache" }

const readBody = async (request: Request): Promise<FakeChatBody> => {
  if (request.method !== "POST") return {}
  const text = await request.text()
  if (text === "") return {}
  const parsed: unknown = JSON.parse(text)
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed as FakeChatBody : {}
}

/** Deno logs a response stream's error; give it one explanatory line instead of a stack trace. */
const dropped = () =>
  Object.assign(new Error("dropped"), { stack: "fake_llm: dropped the connection mid-stream as scripted" })

/** Waits `ms`, or less when either signal aborts (a client hanging up, or `close`). */
const pause = (ms: number, ...signals: ReadonlyArray<AbortSignal>) =>
  new Promise<void>((resolve) => {
    const any = AbortSignal.any([...signals])
    if (any.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      any.removeEventListener("abort", done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    any.addEventListener("abort", done, { once: true })
  })

export const startFakeLlm = async (options: FakeLlmOptions = {}): Promise<FakeLlm> => {
  const requests: Array<RecordedRequest> = []
  const queue: Array<FakeResponse> = []
  let handler: FakeHandler | undefined
  let sequence = 0
  const closing = new AbortController()

  const respond = async (
    recorded: RecordedRequest,
    spec: FakeResponse,
    signal: AbortSignal,
    finish: () => void,
    hangUp: () => void,
  ) => {
    if (spec.delayMs !== undefined) await pause(spec.delayMs, signal, closing.signal)
    if (spec.status !== undefined && spec.status !== 200) {
      finish()
      const headers = spec.headers ?? {}
      return typeof spec.body === "string"
        ? new Response(spec.body, { status: spec.status, headers })
        : json(spec.body ?? errorBody(spec.status), spec.status, headers)
    }
    const id = `chatcmpl-fake-${++sequence}`
    const model = recorded.body.model ?? "fake-model"
    if (recorded.body.stream !== true) {
      finish()
      return json(completionJson(id, model, spec, recorded.body), 200, spec.headers)
    }
    const chunks = encodeStream(id, model, spec, recorded.body)
    const encoder = new TextEncoder()
    const breakAt = Math.min(1, chunks.length - 1)
    const body = new ReadableStream<Uint8Array>({
      cancel: hangUp,
      async start(controller) {
        for (const [index, chunk] of chunks.entries()) {
          if (signal.aborted) return
          controller.enqueue(encoder.encode(chunk))
          if (index !== breakAt) continue
          if (spec.dropConnection === true) {
            await pause(20, signal, closing.signal)
            return controller.error(dropped())
          }
          if (spec.stallMs !== undefined) await pause(spec.stallMs, signal, closing.signal)
        }
        finish()
        controller.close()
      },
    })
    return new Response(body, { headers: { ...sseHeaders, ...spec.headers } })
  }

  const listening = Promise.withResolvers<Deno.NetAddr>()
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port ?? 0, onListen: listening.resolve },
    async (request, info) => {
      const url = new URL(request.url)
      const recorded: RecordedRequest = {
        method: request.method,
        path: url.pathname,
        headers: Object.fromEntries(request.headers),
        body: await readBody(request),
        aborted: false,
      }
      requests.push(recorded)
      let finished = false
      const hangup = new AbortController()
      const finish = () => void (finished = true)
      const hangUp = () => {
        recorded.aborted = !finished
        hangup.abort()
      }
      info.completed.catch(hangUp)
      if (options.apiKey !== undefined && recorded.headers["authorization"] !== `Bearer ${options.apiKey}`) {
        finish()
        return json(errorBody(401), 401)
      }
      if (request.method === "GET" && url.pathname === "/v1/models") {
        finish()
        return json({ object: "list", data: [{ id: "fake-model", object: "model", created: 0, owned_by: "fake" }] })
      }
      if (request.method !== "POST" || url.pathname !== "/v1/chat/completions") {
        finish()
        return json(errorBody(404), 404)
      }
      if (options.instant === true && queue.length === 0 && handler === undefined && recorded.body.stream === true) {
        finish()
        return new Response(INSTANT_STREAM, { headers: sseHeaders })
      }
      const spec = queue.shift() ?? (await handler?.(recorded)) ??
        (options.instant === true ? { text: "ok" } : { text: defaultAnswer(recorded.body) })
      return respond(recorded, spec, hangup.signal, finish, hangUp)
    },
  )

  const { port } = await listening.promise
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    script: (...responses) => void queue.push(...responses),
    setHandler: (next) => void (handler = next),
    close: async () => {
      closing.abort()
      await server.shutdown()
    },
  }
}

if (import.meta.main) {
  const portIndex = Deno.args.indexOf("--port")
  const port = portIndex >= 0 ? Number(Deno.args[portIndex + 1] ?? "0") : 0
  const fake = await startFakeLlm({ port, instant: Deno.args.includes("--instant") })
  console.log(`listening ${fake.url}`)
}
