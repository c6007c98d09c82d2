/**
 * Cron jobs in the SQLite `Database` (table `cron_jobs`), shared by the gateway's scheduler and the `claw cron`
 * commands of other processes: every write is one statement naming the columns it owns, so a CLI change and the
 * scheduler's bookkeeping never overwrite each other. Rows are decoded with `Schema` (a row that does not decode is
 * skipped with a warning); free text is read as `CAST(… AS BLOB)` (see Database.ts). Writes made in this process
 * are announced on `changes`, so the scheduler looks again at once; other processes' writes are seen at its next
 * poll.
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Schema from "effect/Schema"
import * as SchemaTransformation from "effect/SchemaTransformation"
import type * as Scope from "effect/Scope"
import { Database, type DatabaseError, type SqlValue } from "../storage/Database.ts"
import { CronError, type CronJob, CronJobSpec, type CronRunStatus, type NewCronJob } from "./CronJob.ts"
import { nextRunAfter } from "./CronSchedule.ts"

const schema = `CREATE TABLE IF NOT EXISTS cron_jobs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  spec TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  next_run_at INTEGER,
  last_run_at INTEGER,
  last_status TEXT,
  last_output TEXT,
  run_requested_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
)`

const columns = `id, CAST(name AS BLOB) AS name, CAST(spec AS BLOB) AS spec, enabled, next_run_at, last_run_at,
  last_status, CAST(last_output AS BLOB) AS last_output, run_requested_at, created_at`

const Utf8 = Schema.Uint8Array.pipe(Schema.decodeTo(
  Schema.String,
  SchemaTransformation.transform({
    decode: (bytes) => new TextDecoder().decode(bytes),
    encode: (text) => new TextEncoder().encode(text),
  }),
))

const JobRow = Schema.Struct({
  id: Schema.String,
  name: Utf8,
  spec: Utf8.pipe(Schema.decodeTo(Schema.fromJsonString(CronJobSpec))),
  enabled: Schema.Number,
  next_run_at: Schema.NullOr(Schema.Number),
  last_run_at: Schema.NullOr(Schema.Number),
  last_status: Schema.NullOr(Schema.Literals(["ok", "error", "missed"])),
  last_output: Schema.NullOr(Utf8),
  run_requested_at: Schema.NullOr(Schema.Number),
  created_at: Schema.Number,
})

const decodeRow = Schema.decodeUnknownOption(JobRow)

const toJob = (row: typeof JobRow.Type): CronJob => ({
  ...row.spec,
  id: row.id,
  name: row.name,
  enabled: row.enabled !== 0,
  nextRunAt: row.next_run_at ?? undefined,
  lastRunAt: row.last_run_at ?? undefined,
  lastStatus: row.last_status ?? undefined,
  lastOutput: row.last_output ?? undefined,
  runRequestedAt: row.run_requested_at ?? undefined,
  createdAt: row.created_at,
})

/** The outcome of one run. */
export interface RunResult {
  readonly ranAt: number
  readonly status: CronRunStatus
  readonly output: string
}

export class CronStore extends Context.Service<CronStore, {
  readonly add: (job: NewCronJob) => Effect.Effect<CronJob, CronError>
  /** Every job, oldest first. */
  readonly list: Effect.Effect<ReadonlyArray<CronJob>, CronError>
  readonly get: (id: string) => Effect.Effect<CronJob, CronError>
  readonly remove: (id: string) => Effect.Effect<void, CronError>
  /** Enabling computes the next run from now; an `at` job whose time has passed cannot be enabled. */
  readonly setEnabled: (id: string, enabled: boolean) => Effect.Effect<CronJob, CronError>
  readonly requestRun: (id: string) => Effect.Effect<void, CronError>
  /** Clears a pending run request; succeeds with whether this call took it (so only one runner does). */
  readonly claimRunRequest: (id: string) => Effect.Effect<boolean, CronError>
  /** Sets when the job runs next (the scheduler does this as it starts a run, so a run is never repeated). */
  readonly reschedule: (id: string, nextRunAt: number | undefined, enabled: boolean) => Effect.Effect<void, CronError>
  readonly recordResult: (id: string, result: RunResult) => Effect.Effect<void, CronError>
  /** Announces this process's writes; the subscription ends with the scope. */
  readonly changes: Effect.Effect<PubSub.Subscription<void>, never, Scope.Scope>
}>()("claw/cron/CronStore") {
  static readonly layer: Layer.Layer<CronStore, DatabaseError, Database> = Layer.effect(
    CronStore,
    Effect.gen(function* () {
      const db = yield* Database
      yield* db.use("create cron_jobs table", (sql) => sql.exec(schema))
      const changed = yield* PubSub.sliding<void>(1)
      const storage = (error: DatabaseError) => new CronError({ reason: "Storage", message: error.message })
      const write = (operation: string, text: string, ...params: ReadonlyArray<SqlValue>) =>
        db.use(operation, (sql) => sql.run(text, ...params).changes).pipe(
          Effect.mapError(storage),
          Effect.tap((changes) => changes > 0 ? PubSub.publish(changed, undefined) : Effect.void),
        )
      const mustChange = (id: string) => (changes: number) =>
        changes > 0 ? Effect.void : Effect.fail(new CronError({ reason: "NotFound", message: `no cron job "${id}"` }))

      const list = db.use(
        "list cron jobs",
        (sql) => sql.all(`SELECT ${columns} FROM cron_jobs ORDER BY created_at, id`),
      )
        .pipe(
          Effect.mapError(storage),
          Effect.flatMap((rows) =>
            Effect.forEach(rows, (row) =>
              Option.match(decodeRow(row), {
                onNone: () =>
                  Effect.logWarning(`Skipping cron job "${String(row.id)}": its stored row is unreadable`).pipe(
                    Effect.as(Option.none<CronJob>()),
                  ),
                onSome: (decoded) => Effect.succeed(Option.some(toJob(decoded))),
              }))
          ),
          Effect.map((jobs) => jobs.flatMap((job) => Option.isSome(job) ? [job.value] : [])),
          Effect.withSpan("CronStore.list"),
        )

      const get = Effect.fn("CronStore.get")(function* (id: string) {
        const row = yield* db.use(
          "read cron job",
          (sql) => sql.get(`SELECT ${columns} FROM cron_jobs WHERE id = ?`, id),
        )
          .pipe(Effect.mapError(storage))
        const decoded = row === undefined ? Option.none() : decodeRow(row)
        if (Option.isNone(decoded)) return yield* new CronError({ reason: "NotFound", message: `no cron job "${id}"` })
        return toJob(decoded.value)
      })

      const add = Effect.fn("CronStore.add")(function* (job: NewCronJob) {
        const now = yield* Clock.currentTimeMillis
        const id = crypto.randomUUID().slice(0, 8)
        const { name, ...spec } = job
        const next = Option.getOrNull(nextRunAfter(job.schedule, now))
        yield* write(
          "add cron job",
          `INSERT INTO cron_jobs (id, name, spec, enabled, next_run_at, created_at, updated_at)
           VALUES (?, ?, ?, 1, ?, ?, ?)`,
          id,
          name,
          JSON.stringify(Schema.encodeSync(CronJobSpec)(spec)),
          next,
          now,
          now,
        )
        return yield* get(id)
      })

      const setEnabled = Effect.fn("CronStore.setEnabled")(function* (id: string, enabled: boolean) {
        const job = yield* get(id)
        const now = yield* Clock.currentTimeMillis
        const next = enabled ? Option.getOrUndefined(nextRunAfter(job.schedule, now)) : job.nextRunAt
        if (enabled && next === undefined) {
          return yield* new CronError({ reason: "Invalid", message: `cron job "${id}" has no future run to enable` })
        }
        yield* write(
          "update cron job",
          "UPDATE cron_jobs SET enabled = ?, next_run_at = ?, updated_at = ? WHERE id = ?",
          enabled ? 1 : 0,
          next ?? null,
          now,
          id,
        ).pipe(Effect.flatMap(mustChange(id)))
        return yield* get(id)
      })

      return CronStore.of({
        add,
        list,
        get,
        remove: Effect.fn("CronStore.remove")((id: string) =>
          write("remove cron job", "DELETE FROM cron_jobs WHERE id = ?", id).pipe(Effect.flatMap(mustChange(id)))
        ),
        setEnabled,
        requestRun: Effect.fn("CronStore.requestRun")(function* (id: string) {
          const now = yield* Clock.currentTimeMillis
          yield* write(
            "request cron run",
            "UPDATE cron_jobs SET run_requested_at = ?, updated_at = ? WHERE id = ?",
            now,
            now,
            id,
          ).pipe(Effect.flatMap(mustChange(id)))
        }),
        claimRunRequest: Effect.fn("CronStore.claimRunRequest")((id: string) =>
          write(
            "claim cron run",
            "UPDATE cron_jobs SET run_requested_at = NULL WHERE id = ? AND run_requested_at IS NOT NULL",
            id,
          ).pipe(Effect.map((changes) => changes > 0))
        ),
        reschedule: Effect.fn("CronStore.reschedule")(
          function* (id: string, nextRunAt: number | undefined, enabled: boolean) {
            yield* write(
              "reschedule cron job",
              "UPDATE cron_jobs SET enabled = ?, next_run_at = ?, updated_at = ? WHERE id = ?",
              enabled ? 1 : 0,
              nextRunAt ?? null,
              yield* Clock.currentTimeMillis,
              id,
            )
          },
        ),
        recordResult: Effect.fn("CronStore.recordResult")(function* (id: string, result: RunResult) {
          yield* write(
            "record cron run",
            `UPDATE cron_jobs SET last_run_at = ?, last_status = ?, last_output = ?, updated_at = ? WHERE id = ?`,
            result.ranAt,
            result.status,
            result.output,
            yield* Clock.currentTimeMillis,
            id,
          )
        }),
        changes: PubSub.subscribe(changed),
      })
    }),
  )
}
