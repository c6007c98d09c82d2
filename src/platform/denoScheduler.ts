/**
 * The scheduler Effect uses to yield between fibers. Effect's default picks `setImmediate` when it exists; under
 * Deno that is the Node compatibility `setImmediate`, whose async-context bookkeeping keeps every immediate
 * scheduled from inside another one alive (measured: about 20 bytes per yield, so a busy gateway grows without
 * bound). A `MessageChannel` yields as fast without that cost. Its port holds the process open only while tasks are
 * waiting, so short commands still exit on their own.
 */
import * as Scheduler from "effect/Scheduler"

const makeMessageChannelImmediate = () => {
  const channel = new MessageChannel()
  const receiver = channel.port1 as MessagePort & { ref(): void; unref(): void }
  const tasks: Array<() => void> = []
  receiver.onmessage = () => {
    const task = tasks.shift()
    if (tasks.length === 0) receiver.unref()
    task?.()
  }
  receiver.unref()
  return (run: () => void) => {
    let cancelled = false
    tasks.push(() => {
      if (!cancelled) run()
    })
    receiver.ref()
    channel.port2.postMessage(null)
    return () => {
      cancelled = true
    }
  }
}

export const denoScheduler: Scheduler.Scheduler = new Scheduler.MixedScheduler("async", makeMessageChannelImmediate())
