/**
 * Runs every enabled channel as a supervised fiber keyed by its id (`FiberMap`): a channel whose `run` fails is
 * restarted on `channelRestartSchedule` (or `channelSlowRetrySchedule` after a non-retryable failure such as bad
 * credentials), and the backoff starts over once it has connected again. One channel failing never touches the
 * others or the gateway. Outbound messages from the bus are routed to the channel they name, through a queue
 * per channel so a slow platform only delays its own messages. Closing the scope interrupts everything.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FiberMap from "effect/FiberMap"
import * as Layer from "effect/Layer"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import * as Schedule from "effect/Schedule"
import { MessageBus } from "../bus/MessageBus.ts"
import type { OutboundMessage } from "../bus/Messages.ts"
import { type Channel, ChannelError } from "./Channel.ts"
import { ChannelStatusBoard, type SupervisedReporter } from "./ChannelStatusBoard.ts"
import { EnabledChannels } from "./EnabledChannels.ts"

/** Pseudo-channels of claw's own turns (terminal chat, cron jobs and heartbeat without a chat): never routed. */
const INTERNAL_CHANNELS = new Set(["cli", "cron", "heartbeat"])

/** Restart after a transient failure: 1 s doubling to 60 s, jittered, forever. */
export const channelRestartSchedule = Schedule.exponential("1 second").pipe(
  (exponential) => Schedule.min([exponential, Schedule.spaced("60 seconds")]),
  Schedule.jittered,
)

/** Retry after a failure that will not fix itself soon (rejected credentials, port in use): every ~5 min. */
export const channelSlowRetrySchedule = Schedule.spaced("5 minutes").pipe(Schedule.jittered)

export interface SupervisorOptions {
  readonly restartSchedule?: Schedule.Schedule<unknown, unknown>
  readonly slowRetrySchedule?: Schedule.Schedule<unknown, unknown>
}

export class ChannelSupervisor extends Context.Service<ChannelSupervisor, {
  readonly channels: ReadonlyArray<Channel>
  /** Delivers one outbound message to its channel (queued behind that channel's earlier messages). */
  readonly route: (message: OutboundMessage) => Effect.Effect<boolean>
}>()("claw/channels/ChannelSupervisor") {
  static readonly make = (channels: ReadonlyArray<Channel>, options: SupervisorOptions = {}) =>
    Effect.gen(function* () {
      const bus = yield* MessageBus
      const board = yield* ChannelStatusBoard
      const fibers = yield* FiberMap.make<string>()
      const queues = new Map<string, Queue.Queue<OutboundMessage>>()

      const supervise = (channel: Channel, reporter: SupervisedReporter) =>
        Effect.gen(function* () {
          let fast = yield* Schedule.toStepWithSleep(options.restartSchedule ?? channelRestartSchedule)
          let slow = yield* Schedule.toStepWithSleep(options.slowRetrySchedule ?? channelSlowRetrySchedule)
          let attempt = 0
          while (true) {
            const error: ChannelError = yield* Effect.flip(
              channel.run(reporter).pipe(
                Effect.catchDefect((defect) =>
                  Effect.logError(`Channel ${channel.id} crashed`, defect).pipe(
                    Effect.andThen(Effect.fail(
                      new ChannelError({
                        channel: channel.id,
                        reason: "ProtocolError",
                        message: `crashed: ${String(defect)}`,
                        retryable: true,
                      }),
                    )),
                  )
                ),
              ),
            )
            if (yield* reporter.takeConnectedFlag) {
              attempt = 0
              fast = yield* Schedule.toStepWithSleep(options.restartSchedule ?? channelRestartSchedule)
              slow = yield* Schedule.toStepWithSleep(options.slowRetrySchedule ?? channelSlowRetrySchedule)
            }
            attempt++
            yield* reporter.restarting(attempt, error.message)
            if (error.retryable) {
              yield* Effect.logWarning(
                `Channel ${channel.id} stopped: ${error.message}; restarting (attempt ${attempt})`,
              )
              yield* fast(error).pipe(Effect.ignore)
            } else {
              yield* Effect.logError(`Channel ${channel.id} cannot run: ${error.message}; retrying slowly`)
              yield* slow(error).pipe(Effect.ignore)
            }
          }
        }).pipe(
          Effect.ensuring(reporter.stopped),
          Effect.annotateLogs({ channel: channel.id }),
        )

      const deliver = (channel: Channel, reporter: SupervisedReporter, queue: Queue.Queue<OutboundMessage>) =>
        Effect.gen(function* () {
          while (true) {
            const message = yield* Queue.take(queue)
            yield* channel.send(message).pipe(
              Effect.tap(() => message.kind === "delta" ? Effect.void : reporter.outbound),
              Effect.catch((error) =>
                Effect.logWarning(`Could not deliver to ${channel.id}:${message.chatId}: ${error.message}`).pipe(
                  Effect.andThen(reporter.error(error.message)),
                )
              ),
              Effect.catchDefect((defect) => Effect.logError(`Channel ${channel.id} send crashed`, defect)),
            )
          }
        })

      const findChannel = (message: OutboundMessage) =>
        channels.find((c) => c.name === message.channel && c.accountId === message.accountId) ??
          channels.find((c) => c.name === message.channel && (c.accountId === undefined || c.accountId === "default"))

      const route = (message: OutboundMessage) =>
        Effect.gen(function* () {
          const channel = findChannel(message)
          const queue = channel === undefined ? undefined : queues.get(channel.id)
          if (queue === undefined) {
            if (message.kind !== "delta" && !INTERNAL_CHANNELS.has(message.channel)) {
              yield* Effect.logWarning(`No running channel "${message.channel}" for a ${message.kind} message`)
            }
            return false
          }
          yield* Queue.offer(queue, message)
          return true
        })

      for (const channel of channels) {
        const queue = yield* Queue.unbounded<OutboundMessage>()
        queues.set(channel.id, queue)
        const reporter = yield* board.reporter(channel)
        yield* FiberMap.run(fibers, channel.id, supervise(channel, reporter))
        yield* Effect.forkScoped(deliver(channel, reporter, queue))
      }
      const subscription = yield* bus.subscribeOutbound
      yield* Effect.forkScoped(Effect.forever(PubSub.take(subscription).pipe(Effect.flatMap(route))))
      return ChannelSupervisor.of({ channels, route: (message) => route(message) })
    })

  /** Starts the enabled channels for as long as the layer lives. */
  static readonly layer = Layer.effect(
    ChannelSupervisor,
    Effect.gen(function* () {
      const { channels } = yield* EnabledChannels
      return yield* ChannelSupervisor.make(channels)
    }),
  )
}
