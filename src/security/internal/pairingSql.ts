/**
 * The pairing tables and their row decoding. Ids and names are read back as `CAST(… AS BLOB)` (Deno's
 * `node:sqlite` cuts TEXT at the first NUL); `sender_key` is the normalized id used for matching, `sender_id` the
 * id as the platform spelled it (what a notification is addressed to).
 */
import * as Schema from "effect/Schema"
import type { ApprovedSender, PairingRequest } from "../PairingStore.ts"

export const pairingSchema = `
CREATE TABLE IF NOT EXISTS pairing_requests (
  channel TEXT NOT NULL,
  account_id TEXT NOT NULL,
  sender_key TEXT NOT NULL,
  sender_id TEXT NOT NULL,
  sender_name TEXT,
  code TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (channel, account_id, sender_key)
);
CREATE UNIQUE INDEX IF NOT EXISTS pairing_requests_code ON pairing_requests (channel, code);
CREATE TABLE IF NOT EXISTS pairing_approved (
  channel TEXT NOT NULL,
  account_id TEXT NOT NULL,
  sender_key TEXT NOT NULL,
  sender_id TEXT NOT NULL,
  sender_name TEXT,
  approved_at INTEGER NOT NULL,
  PRIMARY KEY (channel, account_id, sender_key)
);`

export const requestColumns = `channel, account_id, CAST(sender_id AS BLOB) AS sender_id,
  CAST(sender_name AS BLOB) AS sender_name, code, created_at, expires_at`

export const approvedColumns = `channel, account_id, CAST(sender_id AS BLOB) AS sender_id,
  CAST(sender_name AS BLOB) AS sender_name, approved_at`

const RequestRow = Schema.Struct({
  channel: Schema.String,
  account_id: Schema.String,
  sender_id: Schema.Uint8Array,
  sender_name: Schema.NullOr(Schema.Uint8Array),
  code: Schema.String,
  created_at: Schema.Number,
  expires_at: Schema.Number,
})

const ApprovedRow = Schema.Struct({
  channel: Schema.String,
  account_id: Schema.String,
  sender_id: Schema.Uint8Array,
  sender_name: Schema.NullOr(Schema.Uint8Array),
  approved_at: Schema.Number,
})

const decodeRequestRow = Schema.decodeUnknownSync(RequestRow)
const decodeApprovedRow = Schema.decodeUnknownSync(ApprovedRow)
const utf8 = new TextDecoder()

export const toRequest = (row: unknown): PairingRequest => {
  const r = decodeRequestRow(row)
  return {
    channel: r.channel,
    accountId: r.account_id,
    senderId: utf8.decode(r.sender_id),
    ...(r.sender_name === null ? {} : { senderName: utf8.decode(r.sender_name) }),
    code: r.code,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  }
}

export const toApproved = (row: unknown): ApprovedSender => {
  const r = decodeApprovedRow(row)
  return {
    channel: r.channel,
    accountId: r.account_id,
    senderId: utf8.decode(r.sender_id),
    ...(r.sender_name === null ? {} : { senderName: utf8.decode(r.sender_name) }),
    approvedAt: r.approved_at,
  }
}
