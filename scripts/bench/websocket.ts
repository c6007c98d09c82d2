/**
 * WebSocket channel benchmark: a real gateway process (the same entry point users run) with an instant fake LLM
 * in another process, driven by C clients × M messages in a closed loop from this process. Reports turns/s,
 * latency percentiles, idle RSS, RSS under load, CPU per turn, time from process start to the first answered
 * turn, and the memory held per idle connection.
 *
 * Usage: deno run -A scripts/bench/websocket.ts [--clients 50] [--messages 200] [--idle 10000]
 */
import { parseArgs } from "node:util"
import { benchHome, cpuMs, machine, MAIN, percentile, round, rssKiB, spawn, startInstantLlm } from "./support.ts"

interface Client {
  readonly socket: WebSocket
  waiting: ((frame: { type: string; messageId?: string }) => void) | undefined
}

const connect = (url: string, senderId: string) =>
  new Promise<Client>((resolve, reject) => {
    const socket = new WebSocket(`${url}?senderId=${senderId}`)
    const client: Client = { socket, waiting: undefined }
    socket.onmessage = (event) => {
      const frame = JSON.parse(String(event.data))
      if (frame.type === "chat.response" && frame.messageId !== undefined) client.waiting?.(frame)
      if (frame.type === "chat.error") client.waiting?.(frame)
    }
    socket.onopen = () => resolve(client)
    socket.onerror = () => reject(new Error(`cannot connect ${senderId}`))
  })

const turn = (client: Client, content: string) =>
  new Promise<number>((resolve) => {
    const started = performance.now()
    const messageId = crypto.randomUUID()
    client.waiting = (frame) => {
      if (frame.messageId !== messageId) return
      client.waiting = undefined
      resolve(performance.now() - started)
    }
    client.socket.send(JSON.stringify({ type: "chat.send", content, messageId }))
  })

export const websocketBench = async (options: { clients: number; messages: number; idle: number }) => {
  const llm = await startInstantLlm()
  const home = await benchHome(llm.url, { channels: { websocket: { port: 0 } } })
  const started = performance.now()
  const gateway = spawn(["run", "-A", MAIN, "gateway", "--config", home.configPath], { CLAW_HOME: home.home })
  try {
    const [, url] = await gateway.waitFor(/(ws:\/\/127\.0\.0\.1:\d+\/ws)/)
    const first = await connect(url!, "first")
    await turn(first, "hello")
    const readyMs = performance.now() - started
    first.socket.close()
    const pid = gateway.child.pid
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const idleRss = rssKiB(pid)

    const clients = await Promise.all(Array.from({ length: options.clients }, (_, i) => connect(url!, `u${i}`)))
    for (const client of clients) await turn(client, "warm up")
    const latencies: Array<number> = []
    let peakRss = 0
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssKiB(pid))), 100)
    const cpuBefore = cpuMs(pid)
    const loadStart = performance.now()
    await Promise.all(clients.map(async (client, i) => {
      for (let m = 0; m < options.messages; m++) latencies.push(await turn(client, `message ${m} from ${i}`))
    }))
    const loadMs = performance.now() - loadStart
    const cpuUsed = cpuMs(pid) - cpuBefore
    clearInterval(sampler)
    for (const client of clients) client.socket.close()
    const sorted = latencies.sort((a, b) => a - b)
    const turns = latencies.length

    await new Promise((resolve) => setTimeout(resolve, 1000))
    const beforeIdle = rssKiB(pid)
    const idle: Array<WebSocket> = []
    for (let i = 0; i < options.idle; i += 500) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(500, options.idle - i) }, (_, j) => connect(url!, `idle${i + j}`)),
      )
      idle.push(...batch.map((c) => c.socket))
    }
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const withIdle = rssKiB(pid)
    for (const socket of idle) socket.close()

    return {
      machine: machine(),
      command: `deno run -A scripts/bench/websocket.ts --clients ${options.clients} --messages ${options.messages}`,
      clients: options.clients,
      messagesPerClient: options.messages,
      turns,
      turnsPerSecond: round(turns / (loadMs / 1000)),
      latencyMs: {
        p50: round(percentile(sorted, 50), 2),
        p95: round(percentile(sorted, 95), 2),
        p99: round(percentile(sorted, 99), 2),
      },
      idleRssMiB: round(idleRss / 1024),
      peakRssUnderLoadMiB: round(peakRss / 1024),
      cpuMsPerTurn: round(cpuUsed / turns, 3),
      readyToFirstAnswerMs: round(readyMs),
      idleConnections: options.idle,
      kibPerIdleConnection: options.idle === 0 ? 0 : round((withIdle - beforeIdle) / options.idle, 2),
    }
  } finally {
    await gateway.stop()
    await llm.stop()
    await home.cleanup()
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      clients: { type: "string", default: "50" },
      messages: { type: "string", default: "200" },
      idle: { type: "string", default: "10000" },
    },
  })
  const result = await websocketBench({
    clients: Number(values.clients),
    messages: Number(values.messages),
    idle: Number(values.idle),
  })
  console.log(JSON.stringify(result, null, 2))
}
