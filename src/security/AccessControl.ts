/**
 * The access pipeline every channel runs on an inbound message, after decoding it and before publishing it on the
 * bus: the pure `decideAccess` of `AccessPolicy.ts`, with pairing approvals read from the `PairingStore` on every
 * check (so an approval made by `claw pairing approve` in another process takes effect at the next message).
 *
 * How a channel uses it:
 * ```ts
 * const outcome = yield* checkAccess(account.policy, {
 *   channel: "socket-chat", accountId, senderId, senderName, isGroup, groupId, mentioned,
 * })
 * if (outcome._tag === "Reply") yield* sendDirect(senderId, outcome.text) // the pairing code, to the sender only
 * if (outcome._tag !== "Admit") return // dropped (log outcome.reason at debug level)
 * yield* bus.publishInbound(message)
 * ```
 * A storage failure is logged and the message dropped (fail closed); `checkAccess` itself never fails.
 */
import * as Effect from "effect/Effect"
import { type AccessPolicy, decideAccess, isListed } from "./AccessPolicy.ts"
import { PAIRING_CODE_TTL_MS, PairingStore } from "./PairingStore.ts"

export interface InboundAccess {
  readonly channel: string
  readonly accountId: string
  readonly senderId: string
  readonly senderName?: string
  readonly isGroup: boolean
  readonly groupId?: string
  readonly mentioned: boolean
}

export type AccessOutcome =
  | { readonly _tag: "Admit" }
  | { readonly _tag: "Drop"; readonly reason: string }
  /** Not admitted, but answer the sender (directly) with `text`: a new pairing code. */
  | { readonly _tag: "Reply"; readonly text: string }

export const APPROVED_TEXT = "You have been approved to chat with this assistant."

/** The answer to an unknown sender under `dmPolicy: "pairing"`. */
export const pairingText = (channel: string, code: string) =>
  [
    "This assistant only talks to people its owner has approved.",
    `Your pairing code: ${code} (valid for ${Math.round(PAIRING_CODE_TTL_MS / 60_000)} minutes).`,
    `Send it to the owner, who can approve you with: claw pairing approve ${channel} ${code}`,
  ].join("\n")

export const checkAccess = Effect.fn("AccessControl.check")(function* (policy: AccessPolicy, access: InboundAccess) {
  const store = yield* PairingStore
  const channel = access.channel
  const lookUpPairing = !access.isGroup && policy.dmPolicy !== "open" &&
    !isListed(policy.allowFrom, access.senderId, channel)
  const paired = lookUpPairing
    ? yield* store.isApproved(channel, access.accountId, access.senderId).pipe(
      Effect.catch((error) =>
        Effect.logWarning(`Could not read pairing approvals: ${error.message}`).pipe(Effect.as(false))
      ),
    )
    : false
  const decision = decideAccess(policy, {
    channel,
    senderId: access.senderId,
    isGroup: access.isGroup,
    ...(access.groupId !== undefined ? { groupId: access.groupId } : {}),
    mentioned: access.mentioned,
    paired,
  })
  if (decision._tag !== "Pair") return decision._tag === "Allow" ? { _tag: "Admit" } as const : decision
  const outcome = yield* store.request({
    channel,
    accountId: access.accountId,
    senderId: access.senderId,
    ...(access.senderName !== undefined ? { senderName: access.senderName } : {}),
  }).pipe(Effect.catch((error) =>
    Effect.logWarning(`Could not record a pairing request: ${error.message}`).pipe(
      Effect.as({ _tag: "Failed" } as const),
    )
  ))
  switch (outcome._tag) {
    case "Created":
      yield* Effect.logInfo(
        `Pairing requested on ${channel} (account ${access.accountId}) by "${access.senderId}"; approve with: ` +
          `claw pairing approve ${channel} ${outcome.request.code}`,
      )
      return { _tag: "Reply", text: pairingText(channel, outcome.request.code) } satisfies AccessOutcome
    case "Approved":
      return { _tag: "Admit" } satisfies AccessOutcome
    case "Pending":
      return { _tag: "Drop", reason: "pairing request already pending" } satisfies AccessOutcome
    case "Full":
      return { _tag: "Drop", reason: "too many pending pairing requests" } satisfies AccessOutcome
    case "Failed":
      return { _tag: "Drop", reason: "pairing store unavailable" } satisfies AccessOutcome
  }
})
