/**
 * How other processes know a gateway is running its cron scheduler: the scheduler keeps a lease in the
 * `StateStore` (`cron`/`scheduler`: pid and time), refreshed while it runs and removed when it stops. A lease not
 * refreshed for `LEASE_TTL_MS` (a crashed gateway) counts as gone. `claw cron run` uses it to choose between asking
 * the gateway to run a job and running it itself.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { StateStore } from "../storage/StateStore.ts"

const NAMESPACE = "cron"
const KEY = "scheduler"

export const LEASE_REFRESH_MS = 5_000
export const LEASE_TTL_MS = 20_000

const Lease = Schema.Struct({ pid: Schema.Number, refreshedAt: Schema.Number })
export type Lease = typeof Lease.Type

const decodeLease = Schema.decodeUnknownOption(Lease)

export const writeLease = (pid: number) =>
  Effect.gen(function* () {
    const state = yield* StateStore
    const refreshedAt = yield* Clock.currentTimeMillis
    yield* state.set(NAMESPACE, KEY, { pid, refreshedAt } satisfies Lease)
  }).pipe(Effect.catch((error) => Effect.logWarning(`Could not refresh the cron scheduler lease: ${error.message}`)))

export const clearLease = StateStore.use((state) => state.delete(NAMESPACE, KEY)).pipe(Effect.ignore)

/** The lease of a live scheduler, if there is one. */
export const liveLease = Effect.gen(function* () {
  const state = yield* StateStore
  const now = yield* Clock.currentTimeMillis
  const stored = yield* state.get(NAMESPACE, KEY).pipe(Effect.orElseSucceed(() => Option.none()))
  return Option.filter(Option.flatMap(stored, decodeLease), (lease) => now - lease.refreshedAt < LEASE_TTL_MS)
})
