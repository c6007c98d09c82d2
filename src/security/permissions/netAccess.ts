/**
 * The network a configured gateway needs: the hosts of the providers it may call (the one the model resolves to,
 * and every provider with a key or an apiBase), of the enabled channels, of Brave Search and of MCP servers, and
 * the addresses its channels listen on. `web_fetch` needs arbitrary public hosts, which Deno can only grant as an
 * unscoped `--allow-net`; `deniedNets` then lists the private, loopback and link-local ranges the gateway itself
 * does not need, so Deno refuses IP literals in them even before web_fetch's own address policy looks.
 */
import type { ClawConfig } from "../../config/ConfigSchema.ts"
import { PROVIDERS } from "../../providers/ProviderRegistry.ts"
import { resolveProvider } from "../../providers/resolveProvider.ts"
import { socketUrlOf } from "../../channels/mochat/MochatConfig.ts"
import { socketChatAccounts } from "../../channels/socket-chat/SocketChatConfig.ts"

export interface NetNeed {
  /** `host:port` as Deno's `--allow-net` takes it (IPv6 in brackets). */
  readonly address: string
  readonly why: string
}

/** `host:port` of an http(s)/ws(s) URL, or `undefined` when it does not parse. */
export const hostOf = (url: string): string | undefined => {
  const parsed = URL.parse(url)
  if (parsed === null || parsed.hostname === "") return undefined
  const port = parsed.port !== ""
    ? parsed.port
    : parsed.protocol === "https:" || parsed.protocol === "wss:"
    ? "443"
    : parsed.protocol === "http:" || parsed.protocol === "ws:"
    ? "80"
    : ""
  return port === "" ? parsed.hostname : `${parsed.hostname}:${port}`
}

const listenAddress = (host: string, port: number) => {
  const bare = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host
  return port === 0 ? bare : `${bare}:${port}`
}

export const netNeeds = (config: ClawConfig, env: (name: string) => string | undefined) => {
  const needs: Array<NetNeed> = []
  const notes: Array<string> = []
  const add = (url: string | undefined, why: string) => {
    const address = url === undefined ? undefined : hostOf(url)
    if (address !== undefined) needs.push({ address, why })
  }
  const { model, provider } = config.agents.defaults
  const lookup = resolveProvider({ model, provider }, config.providers, env)
  if (lookup._tag === "Found") add(lookup.provider.apiBase, `provider ${lookup.provider.spec.name} (model ${model})`)
  for (const spec of PROVIDERS) {
    const own = config.providers[spec.name]
    const hasKey = own?.apiKey !== undefined || spec.envKeys.some((name) => (env(name) ?? "") !== "")
    if (hasKey || own?.apiBase !== undefined) add(own?.apiBase ?? spec.defaultApiBase, `provider ${spec.name}`)
  }
  const { websocket, mochat, socketChat } = config.channels
  if (websocket.enabled) {
    needs.push({ address: listenAddress(websocket.host, websocket.port), why: "websocket channel (listens)" })
    add(websocket.authEndpoint, "websocket authEndpoint")
  }
  if (mochat.enabled) {
    add(mochat.baseUrl, "mochat HTTP API")
    add(socketUrlOf(mochat), "mochat Socket.IO")
  }
  const accounts = socketChatAccounts(socketChat).filter((account) => account.enabled)
  for (const account of accounts) add(account.apiBaseUrl, `socket-chat ${account.accountId} config endpoint`)
  if (accounts.length > 0) {
    notes.push(
      "socket-chat: the MQTT broker's address comes from the backend at run time, so it cannot be listed in " +
        "advance; the default (unscoped) --allow-net covers it; with --strict-net add --allow-net=<broker host:port>",
    )
  }
  if (config.tools.web.search.apiKey !== undefined || (env("BRAVE_API_KEY") ?? "") !== "") {
    add(config.tools.web.search.apiBase, "web_search (Brave)")
  }
  for (const [name, server] of Object.entries(config.tools.mcpServers)) add(server.url, `MCP server ${name}`)
  const seen = new Set<string>()
  return { needs: needs.filter((need) => !seen.has(need.address) && seen.add(need.address)), notes }
}

/**
 * Ranges web_fetch must never reach (without allowPrivateNetwork). Deno's `--deny-net` takes IPv4 ranges but only
 * single IPv6 addresses, so IPv6 private and link-local ranges are left to the address policy.
 */
const BLOCKED_RANGES: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["link-local (cloud metadata)", ["169.254.0.0/16"]],
  ["private", ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"]],
  ["loopback", ["127.0.0.0/8", "[::1]", "localhost"]],
  ["unspecified", ["0.0.0.0/8"]],
]

const ipv4InCidr = (ip: string, cidr: string) => {
  const [base, bits] = cidr.split("/")
  const toInt = (text: string) => text.split(".").reduce((n, part) => (n << 8) + Number(part), 0) >>> 0
  if (bits === undefined || base === undefined || !/^\d+\.\d+\.\d+\.\d+$/.test(ip) || base.includes(":")) return false
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0
  return ((toInt(ip) & mask) >>> 0) === ((toInt(base) & mask) >>> 0)
}

const hostPart = (address: string) =>
  address.startsWith("[") ? address.slice(1, address.indexOf("]")) : address.replace(/:\d+$/, "")

/** Blocked ranges none of the gateway's own addresses fall into, and the ranges left open because one does. */
export const deniedNets = (needs: ReadonlyArray<NetNeed>) => {
  const hosts = needs.map((need) => hostPart(need.address))
  const denied: Array<string> = []
  const open: Array<string> = []
  for (const [kind, ranges] of BLOCKED_RANGES) {
    const used = ranges.some((range) =>
      hosts.some((host) =>
        host === range || (range.includes("/") && ipv4InCidr(host, range))
      )
    ) || (kind === "loopback" && hosts.some((host) => host === "::1" || host === "localhost")) ||
      (kind === "unspecified" && hosts.some((host) => host === "0.0.0.0" || host === "::"))
    if (used) open.push(kind)
    else denied.push(...ranges)
  }
  return { denied, open }
}
