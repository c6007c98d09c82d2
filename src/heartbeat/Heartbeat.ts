/**
 * The heartbeat: every `gateway.heartbeat.intervalS` seconds (1800) read the workspace's `HEARTBEAT.md`. When it
 * lists tasks, run them as one agent turn (session `heartbeat`) as the most recent user chat, so the answer is
 * delivered there; with no chat yet, the answer is only logged. When it lists none — or the file is missing — no
 * model call is made at all. A failing beat is logged and the next one comes on time. Off with
 * `gateway.heartbeat.enabled: false`. Waiting is `Effect.sleep`, so `TestClock` drives it.
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Path from "effect/Path"
import { runScheduledTurn, type ScheduledTurnOutcome } from "../agent/runScheduledTurn.ts"
import { Workspace } from "../agent/Workspace.ts"
import { AppConfig } from "../config/AppConfig.ts"
import { heartbeatPrompt, heartbeatTasks } from "./heartbeatTasks.ts"
import { LastChat } from "./LastChat.ts"

export const HEARTBEAT_SESSION = "heartbeat"

export type BeatOutcome =
  | { readonly _tag: "NoTasks" }
  | { readonly _tag: "Ran"; readonly tasks: number; readonly deliveredTo: string | undefined } & ScheduledTurnOutcome

export class Heartbeat extends Context.Service<Heartbeat, {
  /** One beat, now. */
  readonly beat: Effect.Effect<BeatOutcome>
  /** Beats completed so far (with or without tasks). */
  readonly beats: Effect.Effect<number>
}>()("claw/heartbeat/Heartbeat") {
  static readonly make = Effect.gen(function* () {
    const { config } = yield* AppConfig
    const workspace = yield* Workspace
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const lastChat = yield* LastChat
    const services = yield* Effect.context<Effect.Services<ReturnType<typeof runScheduledTurn>>>()
    const file = path.join(workspace.root, "HEARTBEAT.md")
    const { intervalS } = config.gateway.heartbeat
    let completed = 0

    const beat: Effect.Effect<BeatOutcome> = Effect.gen(function* () {
      const text = yield* fs.readFileString(file).pipe(Effect.orElseSucceed(() => ""))
      const tasks = heartbeatTasks(text)
      if (tasks.length === 0) {
        yield* Effect.logDebug("Heartbeat: HEARTBEAT.md lists no tasks; nothing to do")
        return { _tag: "NoTasks" } as const
      }
      const chat = yield* lastChat.get
      const target = Option.getOrUndefined(chat)
      yield* Effect.logInfo(
        `Heartbeat: running ${tasks.length} task${tasks.length === 1 ? "" : "s"}` +
          (target === undefined
            ? " (no chat yet; the answer is only logged)"
            : ` for ${target.channel}:${target.chatId}`),
      )
      const outcome = yield* runScheduledTurn({
        origin: "heartbeat",
        content: heartbeatPrompt(tasks, intervalS),
        sessionKey: HEARTBEAT_SESSION,
        channel: target?.channel ?? "heartbeat",
        chatId: target?.chatId ?? "heartbeat",
        ...(target?.accountId !== undefined ? { accountId: target.accountId } : {}),
      }).pipe(Effect.provide(services))
      if (outcome.ok) yield* Effect.logInfo(`Heartbeat answered: ${outcome.content.slice(0, 200)}`)
      else yield* Effect.logWarning(`Heartbeat turn failed: ${outcome.content}`)
      const deliveredTo = target === undefined ? undefined : `${target.channel}:${target.chatId}`
      return { _tag: "Ran", tasks: tasks.length, deliveredTo, ...outcome } as const
    }).pipe(
      Effect.ensuring(Effect.sync(() => void completed++)),
      Effect.annotateLogs({ component: "heartbeat" }),
      Effect.withSpan("Heartbeat.beat"),
    )

    return Heartbeat.of({ beat, beats: Effect.sync(() => completed) })
  })

  /** Beats every `intervalS` for as long as the layer lives (unless disabled). */
  static readonly layer = Layer.effect(
    Heartbeat,
    Effect.gen(function* () {
      const heartbeat = yield* Heartbeat.make
      const { config } = yield* AppConfig
      const { enabled, intervalS } = config.gateway.heartbeat
      if (!enabled) {
        yield* Effect.logInfo("Heartbeat disabled (gateway.heartbeat.enabled is false)")
        return heartbeat
      }
      const loop = Effect.sleep(Duration.seconds(intervalS)).pipe(
        Effect.andThen(heartbeat.beat),
        Effect.catchCause((cause) =>
          Cause.hasInterruptsOnly(cause) ? Effect.failCause(cause) : Effect.logError("Heartbeat crashed", cause)
        ),
        Effect.forever,
      )
      yield* Effect.logInfo(`Heartbeat every ${intervalS} s (tasks from HEARTBEAT.md)`)
      yield* Effect.forkScoped(loop)
      return heartbeat
    }),
  )
}
