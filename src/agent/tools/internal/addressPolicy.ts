/**
 * Which addresses web_fetch may connect to. `blockedReason` classifies one IP (IPv4-mapped, IPv4-compatible and
 * NAT64 forms are unwrapped first); `guardedLookup` is a `node:net` lookup that resolves every address of a host
 * and fails the connection when any of them is blocked. Checking inside the connection's own lookup, rather than in
 * a separate DNS query beforehand, leaves no window for a DNS answer that changes between check and connect.
 */
import * as dns from "node:dns"
import type { LookupFunction } from "node:net"
import * as IpNetwork from "effect/net/IpNetwork"
import * as NetAddress from "effect/net/NetAddress"
import * as Option from "effect/Option"
import * as Result from "effect/Result"

/** Why an address must not be fetched, or `undefined` when it may be. */
export type AddressCheck = (address: string) => string | undefined

const networks = (entries: ReadonlyArray<readonly [string, string]>) =>
  entries.map(([cidr, reason]) => [IpNetwork.fromStringUnsafe(cidr), reason] as const)

const BLOCKED_NETWORKS = networks([
  ["0.0.0.0/8", "a 'this network' address"],
  ["100.64.0.0/10", "a shared (CGNAT) address"],
  ["192.0.0.0/24", "an IETF protocol address"],
  ["198.18.0.0/15", "a benchmarking address"],
  ["240.0.0.0/4", "a reserved address"],
  ["fec0::/10", "a site-local address"],
])

const EMBEDDING_IPV4 = [IpNetwork.fromStringUnsafe("64:ff9b::/96"), IpNetwork.fromStringUnsafe("::/96")]

const embeddedIpv4 = (address: NetAddress.Ipv6Address): Option.Option<NetAddress.Ipv4Address> => {
  if (!EMBEDDING_IPV4.some((network) => IpNetwork.contains(network, address))) return Option.none()
  return Option.some(NetAddress.ipv4FromBytesUnsafe(Uint8Array.from(NetAddress.ipv6ToOctets(address).slice(12))))
}

const classify = (address: NetAddress.IpAddress): string | undefined => {
  if (NetAddress.isUnspecified(address)) return "an unspecified address"
  if (NetAddress.isLoopback(address)) return "a loopback address"
  if (NetAddress.isLinkLocal(address)) return "a link-local address"
  if (NetAddress.isMulticast(address)) return "a multicast address"
  if (NetAddress.isIpv4Address(address)) {
    if (NetAddress.isPrivate(address)) return "a private address"
    if (NetAddress.isBroadcast(address)) return "a broadcast address"
  } else {
    if (NetAddress.isUniqueLocal(address)) return "a private (unique local) address"
    const embedded = embeddedIpv4(address)
    if (Option.isSome(embedded)) return classify(embedded.value)
  }
  return BLOCKED_NETWORKS.find(([network]) => IpNetwork.contains(network, address))?.[1]
}

export const blockedReason: AddressCheck = (text) => {
  const parsed = NetAddress.ipFromString(text)
  return Result.isFailure(parsed) ? "not a valid IP address" : classify(NetAddress.toCanonical(parsed.success))
}

/** The host of a URL as an IP literal (brackets of IPv6 removed), or `undefined` for a name. */
export const ipLiteral = (hostname: string): string | undefined => {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname
  return Result.isSuccess(NetAddress.ipFromString(bare)) ? bare : undefined
}

/** Raised inside the connection when a host resolves to a blocked address. */
export class BlockedAddressError extends Error {
  override readonly name = "BlockedAddressError"
}

type LookupCallback = (error: Error | null, address: string | Array<dns.LookupAddress>, family?: number) => void

export const guardedLookup = (check: AddressCheck): LookupFunction => {
  const lookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) =>
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null) return callback(error, "")
      for (const { address } of addresses) {
        const reason = check(address)
        if (reason !== undefined) {
          return callback(new BlockedAddressError(`${hostname} resolves to ${address}, ${reason}`), "")
        }
      }
      const first = addresses[0]
      if (options.all === true || first === undefined) return callback(null, addresses)
      callback(null, first.address, first.family)
    })
  return lookup as unknown as LookupFunction
}

/** Finds a `BlockedAddressError` in a failure's cause chain. */
export const findBlocked = (error: unknown): BlockedAddressError | undefined => {
  for (let current = error, depth = 0; current instanceof Object && depth < 10; depth++) {
    if (current instanceof BlockedAddressError) return current
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}
