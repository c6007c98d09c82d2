/**
 * `claw cron` through the real entry point, without a gateway: add (every schedule kind, and the errors users
 * see), list, disable/enable, remove, run (in this process, printing the answer), and the `cron` tool driven by the
 * model in `claw agent`.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts"
import { fakeLlmConfig, makeHome, runClaw, type TestHome } from "../support/cli.ts"
import { type FakeLlm, startFakeLlm } from "../support/fake_llm.ts"

const idOf = (stdout: string) => {
  const match = stdout.match(/Added cron job ([0-9a-f]{8})\./)
  if (match === null) throw new Error(`no job id in ${JSON.stringify(stdout)}`)
  return match[1]!
}

const withHome = (body: (home: TestHome, llm: FakeLlm) => Promise<void>) => async () => {
  const llm = await startFakeLlm()
  const home = await makeHome(fakeLlmConfig(llm.url))
  try {
    await body(home, llm)
  } finally {
    await home.cleanup()
    await llm.close()
  }
}

Deno.test(
  "claw cron add, list, disable, enable and remove manage jobs, and name what is wrong",
  withHome(async (home) => {
    const claw = (...args: Array<string>) => runClaw(["cron", ...args], { env: home.env })
    const daily = await claw(
      "add",
      "--name",
      "standup",
      "--message",
      "Plan my day",
      "--cron",
      "0 9 * * 1-5",
      "--tz",
      "Europe/Berlin",
    )
    assertEquals(daily.code, 0, daily.stderr)
    assertStringIncludes(daily.stdout, 'cron "0 9 * * 1-5" (Europe/Berlin)')
    const dailyId = idOf(daily.stdout)
    const ping = await claw(
      "add",
      "--name",
      "ping",
      "-m",
      "Ping",
      "--every",
      "3600",
      "--deliver",
      "--channel",
      "websocket",
      "--to",
      "bob",
    )
    assertEquals(ping.code, 0, ping.stderr)
    const pingId = idOf(ping.stdout)
    const once = await claw("add", "--name", "once", "-m", "Once", "--at", "2099-01-01T09:00:00Z")
    assertEquals(once.code, 0, once.stderr)

    const list = await claw("list")
    assertEquals(list.code, 0, list.stderr)
    assertStringIncludes(list.stdout, `${dailyId}  standup  [enabled]`)
    assertStringIncludes(list.stdout, "delivers: websocket:bob")
    assertStringIncludes(list.stdout, "every 3600s")
    assertStringIncludes(list.stdout, "at 2099-01-01T09:00:00.000Z")

    const disabled = await claw("disable", pingId)
    assertEquals(disabled.code, 0, disabled.stderr)
    assertStringIncludes(disabled.stdout, `${pingId}  ping  [disabled]`)
    const enabled = await claw("enable", pingId)
    assertStringIncludes(enabled.stdout, `${pingId}  ping  [enabled]`)
    const removed = await claw("remove", dailyId)
    assertEquals(removed.code, 0, removed.stderr)
    assertEquals((await claw("list")).stdout.includes(dailyId), false)

    const problems: Array<[Array<string>, string]> = [
      [["add", "--name", "x", "-m", "x", "--at", "2001-01-01T00:00:00Z"], "in the past"],
      [["add", "--name", "x", "-m", "x", "--every", "5", "--cron", "* * * * *"], "exactly one schedule"],
      [["add", "--name", "x", "-m", "x", "--cron", "0 9 * * *", "--tz", "Nowhere/City"], '"Nowhere/City"'],
      [["add", "--name", "x", "-m", "x", "--every", "60", "--deliver", "--channel", "websocket"], "--deliver needs"],
      [["remove", "nope"], 'no cron job "nope"'],
      [["enable", "nope"], 'no cron job "nope"'],
    ]
    for (const [args, message] of problems) {
      const result = await claw(...args)
      assertEquals(result.code, 1, `${args.join(" ")} should fail`)
      assertStringIncludes(result.stderr, message)
    }
  }),
)

Deno.test(
  "claw cron run runs a job here when no gateway is up, prints the answer and records it",
  withHome(async (home, llm) => {
    const added = await runClaw(["cron", "add", "--name", "math", "-m", "What is 2+2?", "--every", "86400"], {
      env: home.env,
    })
    const id = idOf(added.stdout)
    const run = await runClaw(["cron", "run", id], { env: home.env })
    assertEquals(run.code, 0, run.stderr)
    assertEquals(run.stdout.trim(), "4")
    assertEquals(llm.requests.length, 1)
    const list = await runClaw(["cron", "list"], { env: home.env })
    assertStringIncludes(list.stdout, "ok: 4")
    llm.setHandler(() => ({ status: 400, body: { error: { message: "broken model" } } }))
    const failed = await runClaw(["cron", "run", id], { env: home.env })
    assertEquals(failed.code, 1)
    assertStringIncludes(failed.stderr, "broken model")
  }),
)

Deno.test(
  "the cron tool adds, lists and removes jobs for the model; a job added from the terminal is not delivered",
  withHome(async (home, llm) => {
    llm.script(
      { toolCalls: [{ name: "cron", arguments: { action: "add", message: "Stretch", every_seconds: 1800 } }] },
      { text: "Scheduled." },
    )
    const added = await runClaw(["agent", "-m", "Remind me to stretch every 30 minutes"], { env: home.env })
    assertEquals(added.code, 0, added.stderr)
    assertEquals(added.stdout.trim(), "Scheduled.")
    const tools = llm.requests[0]!.body.tools as ReadonlyArray<{ function: { name: string } }>
    assert(tools.some((tool) => tool.function.name === "cron"), "the cron tool is offered")
    const result = String(llm.requests[1]!.body.messages?.find((m) => m.role === "tool")?.content)
    assertStringIncludes(result, "Added cron job")
    assertStringIncludes(result, "cannot receive scheduled messages")
    const id = result.match(/Added cron job ([0-9a-f]{8})/)![1]!
    const list = await runClaw(["cron", "list"], { env: home.env })
    assertStringIncludes(list.stdout, `${id}  Stretch  [enabled]`)
    assertStringIncludes(list.stdout, "delivers: no")

    llm.script(
      { toolCalls: [{ name: "cron", arguments: { action: "list" } }] },
      { toolCalls: [{ name: "cron", arguments: { action: "remove", job_id: id } }] },
      { toolCalls: [{ name: "cron", arguments: { action: "add", message: "x", at: "yesterday" } }] },
      { text: "Removed." },
    )
    const removed = await runClaw(["agent", "-m", "Stop the stretching reminder"], { env: home.env })
    assertEquals(removed.code, 0, removed.stderr)
    const toolResults = llm.requests.slice(2).map((r) =>
      String(r.body.messages?.filter((m) => m.role === "tool").at(-1)?.content)
    )
    assertStringIncludes(toolResults[1]!, `${id}: Stretch | every 1800s`)
    assertStringIncludes(toolResults[2]!, `Removed cron job ${id}`)
    assertStringIncludes(toolResults[3]!, 'invalid time "yesterday"')
    assertStringIncludes((await runClaw(["cron", "list"], { env: home.env })).stdout, "No cron jobs.")
  }),
)
