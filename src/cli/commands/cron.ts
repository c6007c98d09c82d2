/**
 * `claw cron add|list|remove|enable|disable|run`: scheduled jobs, changed without restarting a running gateway.
 */
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as handlers from "../handlers/cron.ts"

const idArgument = Argument.String("id").pipe(Argument.withDescription("The job's id (see claw cron list)"))

const addCommand = Command.make("add", {
  name: Flag.String("name").pipe(Flag.withDescription("A name for the job")),
  message: Flag.String("message").pipe(Flag.withAlias("m"), Flag.withDescription("What the agent is asked each run")),
  cron: Flag.String("cron").pipe(Flag.withDescription('Cron expression, e.g. "0 9 * * 1-5"'), Flag.optional),
  tz: Flag.String("tz").pipe(Flag.withDescription("IANA time zone of --cron (default: the configured)"), Flag.optional),
  every: Flag.Int("every").pipe(
    Flag.withMetavar("SECONDS"),
    Flag.withDescription("Run every N seconds"),
    Flag.optional,
  ),
  at: Flag.String("at").pipe(Flag.withMetavar("ISO"), Flag.withDescription("Run once at this time"), Flag.optional),
  deliver: Flag.Boolean("deliver").pipe(
    Flag.withDescription("Send the answer to --channel/--to"),
    Flag.withDefault(false),
  ),
  channel: Flag.String("channel").pipe(Flag.withDescription("Channel to deliver to"), Flag.optional),
  to: Flag.String("to").pipe(Flag.withDescription("Chat id to deliver to"), Flag.optional),
  runMissed: Flag.Boolean("run-missed").pipe(
    Flag.withDescription("Run once on gateway start if a run was missed (default: gateway.cron.runMissedOnStart)"),
    Flag.optional,
  ),
}, (flags) => handlers.add(flags)).pipe(
  Command.withDescription("Add a job: --name, --message and one of --cron [--tz], --every or --at"),
  Command.withExamples([
    {
      command: 'claw cron add --name standup --message "Plan my day" --cron "0 9 * * 1-5" --tz Europe/Berlin',
      description: "Weekdays at 9",
    },
    {
      command: 'claw cron add --name ping --message "Ping" --every 3600 --deliver --channel websocket --to alice',
      description: "Hourly, to a chat",
    },
  ]),
)

const listCommand = Command.make("list", {}, () => handlers.list()).pipe(
  Command.withDescription("List the jobs with their schedules, next and last runs"),
)

const removeCommand = Command.make("remove", { id: idArgument }, ({ id }) => handlers.remove(id)).pipe(
  Command.withDescription("Remove a job"),
)

const toggle = (name: "enable" | "disable") =>
  Command.make(name, { id: idArgument }, ({ id }) => handlers.toggle(name, id)).pipe(
    Command.withDescription(`${name === "enable" ? "Enable" : "Disable"} a job`),
  )

const runNowCommand = Command.make("run", { id: idArgument }, ({ id }) => handlers.runNow(id)).pipe(
  Command.withDescription("Run a job now: through the running gateway, or here when none is running"),
)

export const cronCommand = Command.make("cron").pipe(
  Command.withDescription("Manage scheduled jobs"),
  Command.withSubcommands([addCommand, listCommand, removeCommand, toggle("enable"), toggle("disable"), runNowCommand]),
)
