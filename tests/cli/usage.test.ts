/**
 * Token accounting end to end: usage of every model call is recorded, `claw status` and `claw sessions list` show
 * it, and a spent daily budget ends a turn with a clear message without calling the model.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts"
import { fakeLlmConfig, makeHome, runClaw } from "../support/cli.ts"
import { startFakeLlm } from "../support/fake_llm.ts"

Deno.test("claw status and claw sessions list show the tokens each session spent", async () => {
  const llm = await startFakeLlm()
  const home = await makeHome(fakeLlmConfig(llm.url))
  try {
    const before = await runClaw(["status"], { env: home.env })
    assertStringIncludes(before.stdout, "Tokens today: 0 tokens")
    llm.script(
      {
        toolCalls: [{ name: "list_dir", arguments: { path: "." } }],
        usage: { prompt_tokens: 100, completion_tokens: 20 },
      },
      { text: "Done.", usage: { prompt_tokens: 130, completion_tokens: 10 } },
      { text: "4", usage: { prompt_tokens: 40, completion_tokens: 1 } },
    )
    assertEquals((await runClaw(["agent", "-m", "Look around"], { env: home.env })).code, 0)
    assertEquals((await runClaw(["agent", "-m", "What is 2+2?", "-s", "cli:other"], { env: home.env })).code, 0)
    const status = await runClaw(["status"], { env: home.env })
    assertEquals(status.code, 0, status.stderr)
    assertStringIncludes(status.stdout, "Tokens today: 301 tokens (270 prompt, 31 completion; 3 model calls)")
    assertStringIncludes(status.stdout, "Tokens total: 301 tokens")
    const list = await runClaw(["sessions", "list"], { env: home.env })
    assertEquals(list.code, 0, list.stderr)
    const rows = list.stdout.trim().split("\n")
    assertStringIncludes(rows[0]!, "SESSION")
    const row = (key: string) => (rows.find((line) => line.startsWith(`${key} `)) ?? "").split(/\s{2,}/)
    const direct = row("cli:direct")
    assertEquals([direct[0], direct[1], direct.at(-2), direct.at(-1)], ["cli:direct", "4", "260", "260"])
    const other = row("cli:other")
    assertEquals([other[1], other.at(-1)], ["2", "41"])
    assert(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(direct[2] ?? ""), "last activity is a date and time")
    assertEquals(rows[1]!.startsWith("cli:other"), true, "most recent first")
  } finally {
    await home.cleanup()
    await llm.close()
  }
})

Deno.test("claw agent stops new turns with a clear message once the daily token budget is spent", async () => {
  const llm = await startFakeLlm()
  const home = await makeHome(fakeLlmConfig(llm.url, { agents: { defaults: { sessionDailyTokenBudget: 100 } } }))
  try {
    llm.script({ text: "First answer.", usage: { prompt_tokens: 140, completion_tokens: 10 } })
    const first = await runClaw(["agent", "-m", "hello"], { env: home.env })
    assertEquals(first.stdout.trim(), "First answer.")
    const blocked = await runClaw(["agent", "-m", "hello again"], { env: home.env })
    assertEquals(blocked.code, 0, blocked.stderr)
    assertStringIncludes(blocked.stdout, "Daily token budget used up: 150 of 100 tokens spent today in this chat")
    assertEquals(llm.requests.length, 1, "the model is not called")
    const elsewhere = await runClaw(["agent", "-m", "What is 2+2?", "-s", "cli:other"], { env: home.env })
    assertEquals(elsewhere.stdout.trim(), "4", "another session has its own budget")
  } finally {
    await home.cleanup()
    await llm.close()
  }
})
