/**
 * `spawn(task, label?)`: hands a task to a background subagent and returns at once. The subagent's report comes
 * back into this conversation later as a message starting with `[Subagent "<label>" finished]`.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { makeTool, type Tool, type ToolContext, ToolError } from "../tools/Tool.ts"

export const SPAWN = "spawn"

const SpawnParameters = Schema.Struct({
  task: Schema.String.pipe(Schema.check(Schema.isMinLength(1))).annotate({
    description: "What the subagent should do, with every detail it needs (it does not see this conversation)",
  }),
  label: Schema.optionalKey(
    Schema.String.annotate({ description: "A short name for the task, shown when the result comes back" }),
  ),
})

export interface SpawnedSubagent {
  readonly id: string
  readonly label: string
}

export const spawnTool = (
  spawn: (task: string, label: string | undefined, origin: ToolContext) => Effect.Effect<SpawnedSubagent, ToolError>,
): Tool =>
  makeTool({
    name: SPAWN,
    description: "Start a subagent that works on a task in the background with its own tools (files, exec, web) " +
      "while you keep talking to the user. Use it for long or independent work. It returns at once; the result " +
      "arrives later in this conversation as a message.",
    parameters: SpawnParameters,
    execute: Effect.fn("spawn")(function* ({ task, label }, context) {
      if (task.trim() === "") return yield* new ToolError({ message: "task must not be empty" })
      const started = yield* spawn(task, label, context)
      return `Started subagent "${started.label}" (id ${started.id}). It works in the background; its report will ` +
        `arrive in this conversation as a message starting with [Subagent "${started.label}" finished]. ` +
        "Do not wait or poll for it: tell the user it is running."
    }),
  })
