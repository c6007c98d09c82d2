/**
 * The `PairingStore`: pairing requests and approved senders, per channel account, in the SQLite store shared by the
 * gateway and the CLI (so `claw pairing approve` in one process is seen by the next check in the other — every
 * check reads the database, nothing is cached).
 *
 * Contract:
 * - `request` creates a request with a fresh code (8 characters from an alphabet without 0/O/1/I, valid for
 *   `PAIRING_CODE_TTL_MS` by the `Clock`) only when the sender has none pending; a sender who asks again while a
 *   request is pending gets `Pending` (no new code, so none should be sent); an account with
 *   `MAX_PENDING_PER_ACCOUNT` pending requests gets `Full`; an approved sender gets `Approved`.
 * - Expired requests are forgotten before every operation. `approve(channel, code)` (case-insensitive, spaces and
 *   dashes ignored) moves the request's sender to the approved list, or fails with `reason: "UnknownCode"`.
 * - `revoke` removes a sender's approval and pending requests (in one account, or in all of the channel's).
 * - Ids match case-insensitively without a `<channel>:` prefix, as in `AccessPolicy`. Failures are `PairingError`s.
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { Database, type DatabaseError } from "../storage/Database.ts"
import { normalizeId } from "./AccessPolicy.ts"
import { approvedColumns, pairingSchema, requestColumns, toApproved, toRequest } from "./internal/pairingSql.ts"

export const PAIRING_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
export const PAIRING_CODE_LENGTH = 8
export const PAIRING_CODE_TTL_MS = 60 * 60_000
export const MAX_PENDING_PER_ACCOUNT = 3

export interface PairingRequest {
  readonly channel: string
  readonly accountId: string
  readonly senderId: string
  readonly senderName?: string
  readonly code: string
  readonly createdAt: number
  readonly expiresAt: number
}

export interface ApprovedSender {
  readonly channel: string
  readonly accountId: string
  readonly senderId: string
  readonly senderName?: string
  readonly approvedAt: number
}

export type RequestOutcome =
  | { readonly _tag: "Created"; readonly request: PairingRequest }
  | { readonly _tag: "Pending"; readonly request: PairingRequest }
  | { readonly _tag: "Full" }
  | { readonly _tag: "Approved" }

export interface Sender {
  readonly channel: string
  readonly accountId: string
  readonly senderId: string
  readonly senderName?: string
}

export class PairingError extends Schema.TaggedError<PairingError>()("PairingError", {
  reason: Schema.Literals(["UnknownCode", "Storage"]),
  message: Schema.String,
}) {}

/** A code from the unambiguous alphabet; 256 is a multiple of 32, so `byte & 31` is uniform. */
export const generatePairingCode = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(PAIRING_CODE_LENGTH)), (b) => PAIRING_CODE_ALPHABET[b & 31]).join("")

export const normalizeCode = (code: string) => code.replace(/[\s-]+/g, "").toUpperCase()

const storageError = (error: DatabaseError) => new PairingError({ reason: "Storage", message: error.message })

export class PairingStore extends Context.Service<PairingStore, {
  readonly request: (sender: Sender) => Effect.Effect<RequestOutcome, PairingError>
  readonly isApproved: (channel: string, accountId: string, senderId: string) => Effect.Effect<boolean, PairingError>
  readonly approve: (channel: string, code: string) => Effect.Effect<ApprovedSender, PairingError>
  /** Succeeds with the number of approvals and pending requests removed. */
  readonly revoke: (channel: string, senderId: string, accountId?: string) => Effect.Effect<number, PairingError>
  readonly list: (channel?: string) => Effect.Effect<{
    readonly pending: ReadonlyArray<PairingRequest>
    readonly approved: ReadonlyArray<ApprovedSender>
  }, PairingError>
}>()("claw/security/PairingStore") {
  static readonly make = Effect.gen(function* () {
    const db = yield* Database
    yield* db.use("create pairing tables", (sql) => sql.exec(pairingSchema))
    const key = (channel: string, senderId: string) => normalizeId(senderId, channel)
    const purge = "DELETE FROM pairing_requests WHERE expires_at <= ?"

    const request = Effect.fn("PairingStore.request")(function* (sender: Sender) {
      const now = yield* Clock.currentTimeMillis
      const channel = sender.channel.toLowerCase()
      const senderKey = key(channel, sender.senderId)
      return yield* db.transaction(`request pairing on ${channel}`, (sql): RequestOutcome => {
        sql.run(purge, now)
        const scope = [channel, sender.accountId, senderKey] as const
        const where = "channel = ? AND account_id = ? AND sender_key = ?"
        if (sql.get(`SELECT 1 FROM pairing_approved WHERE ${where}`, ...scope) !== undefined) {
          return { _tag: "Approved" }
        }
        const existing = sql.get(`SELECT ${requestColumns} FROM pairing_requests WHERE ${where}`, ...scope)
        if (existing !== undefined) return { _tag: "Pending", request: toRequest(existing) }
        const pending = sql.get(
          "SELECT COUNT(*) AS n FROM pairing_requests WHERE channel = ? AND account_id = ?",
          channel,
          sender.accountId,
        )
        if (Number(pending?.n ?? 0) >= MAX_PENDING_PER_ACCOUNT) return { _tag: "Full" }
        let code = generatePairingCode()
        while (sql.get("SELECT 1 FROM pairing_requests WHERE channel = ? AND code = ?", channel, code) !== undefined) {
          code = generatePairingCode()
        }
        const created: PairingRequest = {
          channel,
          accountId: sender.accountId,
          senderId: sender.senderId,
          ...(sender.senderName !== undefined ? { senderName: sender.senderName } : {}),
          code,
          createdAt: now,
          expiresAt: now + PAIRING_CODE_TTL_MS,
        }
        sql.run(
          `INSERT INTO pairing_requests (channel, account_id, sender_key, sender_id, sender_name, code, created_at,
           expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          ...scope,
          sender.senderId,
          sender.senderName ?? null,
          code,
          created.createdAt,
          created.expiresAt,
        )
        return { _tag: "Created", request: created }
      }).pipe(Effect.mapError(storageError))
    })

    const isApproved = Effect.fn("PairingStore.isApproved")((channel: string, accountId: string, senderId: string) =>
      db.use("read pairing approvals", (sql) =>
        sql.get(
          "SELECT 1 FROM pairing_approved WHERE channel = ? AND account_id = ? AND sender_key = ?",
          channel.toLowerCase(),
          accountId,
          key(channel, senderId),
        ) !== undefined).pipe(Effect.mapError(storageError))
    )

    const approve = Effect.fn("PairingStore.approve")(function* (channel: string, code: string) {
      const now = yield* Clock.currentTimeMillis
      const name = channel.toLowerCase()
      const wanted = normalizeCode(code)
      const approved = yield* db.transaction(`approve pairing on ${name}`, (sql) => {
        sql.run(purge, now)
        const row = sql.get(
          `SELECT ${requestColumns} FROM pairing_requests WHERE channel = ? AND code = ?`,
          name,
          wanted,
        )
        if (row === undefined) return undefined
        const found = toRequest(row)
        const senderKey = key(name, found.senderId)
        sql.run(
          `INSERT INTO pairing_approved (channel, account_id, sender_key, sender_id, sender_name, approved_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, account_id, sender_key) DO UPDATE SET
           sender_id = excluded.sender_id, sender_name = excluded.sender_name, approved_at = excluded.approved_at`,
          name,
          found.accountId,
          senderKey,
          found.senderId,
          found.senderName ?? null,
          now,
        )
        sql.run("DELETE FROM pairing_requests WHERE channel = ? AND code = ?", name, wanted)
        const { code: _, createdAt: __, expiresAt: ___, ...sender } = found
        return { ...sender, approvedAt: now } satisfies ApprovedSender
      }).pipe(Effect.mapError(storageError))
      if (approved === undefined) {
        return yield* new PairingError({
          reason: "UnknownCode",
          message: `No pending pairing request on ${name} with code "${wanted}" (unknown or expired)`,
        })
      }
      return approved
    })

    const revoke = Effect.fn("PairingStore.revoke")((channel: string, senderId: string, accountId?: string) => {
      const name = channel.toLowerCase()
      const senderKey = key(name, senderId)
      const account = accountId ?? null
      return db.transaction(`revoke pairing on ${name}`, (sql) => {
        const where = "channel = ? AND sender_key = ? AND (? IS NULL OR account_id = ?)"
        const params = [name, senderKey, account, account] as const
        return sql.run(`DELETE FROM pairing_approved WHERE ${where}`, ...params).changes +
          sql.run(`DELETE FROM pairing_requests WHERE ${where}`, ...params).changes
      }).pipe(Effect.mapError(storageError))
    })

    const list = Effect.fn("PairingStore.list")(function* (channel?: string) {
      const now = yield* Clock.currentTimeMillis
      const name = channel?.toLowerCase() ?? null
      return yield* db.transaction("list pairing", (sql) => {
        sql.run(purge, now)
        const where = "WHERE ? IS NULL OR channel = ?"
        return {
          pending: sql.all(`SELECT ${requestColumns} FROM pairing_requests ${where} ORDER BY created_at`, name, name)
            .map(toRequest),
          approved: sql.all(`SELECT ${approvedColumns} FROM pairing_approved ${where} ORDER BY approved_at`, name, name)
            .map(toApproved),
        }
      }).pipe(Effect.mapError(storageError))
    })

    return PairingStore.of({ request, isApproved, approve, revoke, list })
  })

  /** Kept in the `Database` (tables created when the layer is built). */
  static readonly layer: Layer.Layer<PairingStore, DatabaseError, Database> = Layer.effect(
    PairingStore,
    PairingStore.make,
  )
}
