/**
 * The gateway's side of the tool sandbox: starts `toolWorker.ts` as a Deno Worker with narrowed permissions and
 * forwards tool calls to it. A worker that crashes fails the calls in flight with a clear message and is started
 * again on the next call; an interrupted call is cancelled inside the worker; the worker ends with the scope.
 *
 * Deno grants a worker at most its parent's permissions, as lists of paths and hosts: it cannot express "every
 * public address" or "everything except CLAW_HOME", and it checks paths as written, without following symbolic
 * links. The tools' own checks (workspacePath.ts, addressPolicy.ts) still run inside the worker for those cases.
 */
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Semaphore from "effect/Semaphore"
import { ToolError } from "../Tool.ts"
import { FromWorker, type ToWorker, type WorkerInit } from "./workerProtocol.ts"

/** What the worker may touch: `"inherit"` is everything the gateway itself may; a list narrows it. */
export interface WorkerPermissions {
  readonly read: "inherit" | ReadonlyArray<string>
  readonly write: "inherit" | ReadonlyArray<string>
  readonly net: "inherit" | false
}

export interface ToolWorker {
  readonly call: (name: string, args: unknown) => Effect.Effect<string, ToolError>
}

const START_TIMEOUT = Duration.seconds(60)
const WORKER_URL = new URL("./toolWorker.ts", import.meta.url)

const decodeReply = Schema.decodeUnknownExit(FromWorker)

interface Live {
  readonly worker: Worker
  readonly pending: Map<number, (reply: { ok: boolean; text: string }) => void>
  dead: boolean
}

const sandboxDown = (reason: string) => new ToolError({ message: `The tool sandbox is not available: ${reason}` })

const spawn = (init: WorkerInit, permissions: WorkerPermissions) =>
  Effect.gen(function* () {
    const ready = yield* Deferred.make<void, ToolError>()
    const worker = yield* Effect.try({
      try: () =>
        new Worker(WORKER_URL, {
          type: "module",
          name: "claw-tool-sandbox",
          deno: {
            permissions: {
              read: permissions.read === "inherit" ? "inherit" : [...permissions.read],
              write: permissions.write === "inherit" ? "inherit" : [...permissions.write],
              net: permissions.net,
              env: false,
              run: false,
              ffi: false,
              sys: ["uid"],
              import: false,
            },
          },
        } as WorkerOptions),
      catch: (error) => sandboxDown(error instanceof Error ? error.message : String(error)),
    })
    const live: Live = { worker, pending: new Map(), dead: false }
    const die = (reason: string) => {
      if (live.dead) return
      live.dead = true
      worker.terminate()
      Deferred.doneUnsafe(ready, Exit.fail(sandboxDown(reason)))
      for (const resolve of live.pending.values()) resolve({ ok: false, text: `The tool sandbox stopped: ${reason}` })
      live.pending.clear()
    }
    worker.onerror = (event) => {
      event.preventDefault()
      die(event.message)
    }
    worker.onmessageerror = () => die("a message could not be read")
    worker.onmessage = (event) => {
      const reply = decodeReply(event.data)
      if (Exit.isFailure(reply)) return
      const message = reply.value
      if (message._tag === "Ready") Deferred.doneUnsafe(ready, Exit.void)
      else if (message._tag === "InitFailed") die(message.message)
      else {
        live.pending.get(message.id)?.(message)
        live.pending.delete(message.id)
      }
    }
    worker.postMessage(init satisfies ToWorker)
    yield* Deferred.await(ready).pipe(
      Effect.timeoutOrElse({ duration: START_TIMEOUT, orElse: () => Effect.fail(sandboxDown("it did not start")) }),
      Effect.tapError((error) => Effect.sync(() => die(error.message))),
    )
    return live
  })

/**
 * A client for the worker, which starts on the first call (an idle gateway does not pay for a second isolate) and
 * again after a crash. A worker that cannot start is logged once and each call answers with the reason.
 */
export const startToolWorker = (
  init: WorkerInit,
  permissions: WorkerPermissions,
): Effect.Effect<ToolWorker, never, Scope.Scope> =>
  Effect.gen(function* () {
    let current: Live | undefined
    let nextId = 0
    const lock = yield* Semaphore.make(1)
    yield* Effect.addFinalizer(() => Effect.sync(() => current?.worker.terminate()))
    let reported = false
    const ensure = lock.withPermits(1)(
      Effect.suspend(() =>
        current !== undefined && !current.dead ? Effect.succeed(current) : spawn(init, permissions).pipe(
          Effect.tap((live) => Effect.sync(() => void (current = live))),
          Effect.tapError((error) =>
            reported ? Effect.void : Effect.sync(() => void (reported = true)).pipe(
              Effect.andThen(Effect.logError(
                `${error.message} (file and web tools answer with this error; set CLAW_TOOL_SANDBOX=in-process ` +
                  "to run them without the sandbox)",
              )),
            )
          ),
        )
      ),
    )
    const call = Effect.fn("ToolSandbox.call")(function* (name: string, args: unknown) {
      const live = yield* ensure
      const id = ++nextId
      const reply = yield* Effect.callback<{ ok: boolean; text: string }>((resume) => {
        live.pending.set(id, (result) => resume(Effect.succeed(result)))
        live.worker.postMessage({ _tag: "Call", id, name, args } satisfies ToWorker)
        return Effect.sync(() => {
          if (!live.pending.delete(id) || live.dead) return
          live.worker.postMessage({ _tag: "Cancel", id } satisfies ToWorker)
        })
      })
      return reply.ok ? reply.text : yield* new ToolError({ message: reply.text })
    })
    return { call } satisfies ToolWorker
  })
