/**
 * `claw agent` end to end: the real entry point in a subprocess, talking to the local fake LLM over HTTP.
 */
import { startFakeLlm } from "../support/fake_llm.ts"
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts"
import { fakeLlmConfig, makeHome, runClaw } from "../support/cli.ts"

Deno.test("claw agent -m prints the provider's answer and exits 0", async () => {
  const llm = await startFakeLlm()
  const home = await makeHome(fakeLlmConfig(llm.url))
  try {
    const result = await runClaw(["agent", "-m", "What is 2+2?", "--config", home.configPath], { env: home.env })
    assertEquals(result.code, 0, result.stderr)
    assertEquals(result.stdout.trim(), "4")
    assertEquals(llm.requests.length, 1)
    const body = llm.requests[0]!.body
    assertEquals(body.model, "test-model")
    assertEquals(body.messages?.[0]?.role, "system")
    assertEquals(body.messages?.at(-1)?.content, "What is 2+2?")
  } finally {
    await home.cleanup()
    await llm.close()
  }
})

Deno.test("claw agent remembers a fact told in an earlier run of the same session", async () => {
  const llm = await startFakeLlm()
  const home = await makeHome(fakeLlmConfig(llm.url))
  try {
    const first = await runClaw(["agent", "-m", "My name is Ada"], { env: home.env })
    assertEquals(first.code, 0, first.stderr)
    const second = await runClaw(["agent", "-m", "What is my name?"], { env: home.env })
    assertEquals(second.code, 0, second.stderr)
    assertEquals(second.stdout.trim(), "Your name is Ada.")
    const other = await runClaw(["agent", "-m", "What is my name?", "--session", "cli:someone-else"], {
      env: home.env,
    })
    assertEquals(other.stdout.trim(), "I don't know your name.")
  } finally {
    await home.cleanup()
    await llm.close()
  }
})

Deno.test("claw agent runs a tool round trip and answers with the tool's result in context", async () => {
  const llm = await startFakeLlm()
  const home = await makeHome(fakeLlmConfig(llm.url))
  try {
    llm.script(
      { toolCalls: [{ name: "write_file", arguments: { path: "notes/todo.txt", content: "buy milk" } }] },
      { toolCalls: [{ name: "read_file", arguments: { path: "notes/todo.txt" } }] },
      { text: "Saved your note." },
    )
    const result = await runClaw(["agent", "-m", "Remember to buy milk"], { env: home.env })
    assertEquals(result.code, 0, result.stderr)
    assertEquals(result.stdout.trim(), "Saved your note.")
    assertEquals(await Deno.readTextFile(`${home.home}/workspace/notes/todo.txt`), "buy milk")
    const third = llm.requests[2]!.body.messages ?? []
    const toolResult = third.filter((m) => m.role === "tool").at(-1)
    assertStringIncludes(String(toolResult?.content), "buy milk")
    const tools = llm.requests[0]!.body.tools as ReadonlyArray<{ function: { name: string } }>
    const names = tools.map((t) => t.function.name)
    for (const name of ["read_file", "write_file", "edit_file", "list_dir", "web_search", "web_fetch", "message"]) {
      assert(names.includes(name), `${name} is offered to the model`)
    }
    assertEquals(names.includes("exec"), false, "exec is off by default (tools.restrictToWorkspace is true)")
  } finally {
    await home.cleanup()
    await llm.close()
  }
})

Deno.test("claw agent reports a provider outage clearly, exits non-zero, and the session stays usable", async () => {
  const llm = await startFakeLlm()
  const home = await makeHome(fakeLlmConfig(llm.url))
  try {
    llm.setHandler(() => ({ status: 503, body: { error: { message: "overloaded" } } }))
    const failed = await runClaw(["agent", "-m", "My name is Grace"], { env: home.env })
    assertEquals(failed.code, 1)
    assertStringIncludes(failed.stderr, "Error:")
    assertStringIncludes(failed.stderr, "503")
    assertEquals(llm.requests.length, 3, "the initial call and 2 retries")
    llm.setHandler(undefined)
    const recovered = await runClaw(["agent", "-m", "What is my name?"], { env: home.env })
    assertEquals(recovered.code, 0, recovered.stderr)
    assertEquals(recovered.stdout.trim(), "Your name is Grace.")
  } finally {
    await home.cleanup()
    await llm.close()
  }
})

Deno.test("claw agent without any provider key says which key to set and where", async () => {
  const home = await makeHome(undefined)
  try {
    const result = await runClaw(["agent", "-m", "hi"], { env: home.env })
    assertEquals(result.code, 1)
    assertStringIncludes(result.stderr, "providers.anthropic.apiKey")
    assertStringIncludes(result.stderr, "ANTHROPIC_API_KEY")
  } finally {
    await home.cleanup()
  }
})

Deno.test("claw agent in interactive mode answers each line and leaves on exit words and end of input", async () => {
  const llm = await startFakeLlm()
  const home = await makeHome(fakeLlmConfig(llm.url))
  try {
    const byWord = await runClaw(["agent", "--no-markdown"], {
      env: home.env,
      stdin: "What is 2+2?\n/quit\nnot sent\n",
    })
    assertEquals(byWord.code, 0, byWord.stderr)
    assertStringIncludes(byWord.stdout, "4")
    assertEquals(llm.requests.length, 1, "nothing after /quit is sent")
    const byEof = await runClaw(["agent"], { env: home.env, stdin: "My name is Lin\n" })
    assertEquals(byEof.code, 0, byEof.stderr)
    assertStringIncludes(byEof.stdout, "Nice to meet you, Lin.")
    for (const word of ["exit", "quit", "/exit", ":q"]) {
      const result = await runClaw(["agent"], { env: home.env, stdin: `${word}\n` })
      assertEquals(result.code, 0, `${word}: ${result.stderr}`)
    }
    assertEquals(llm.requests.length, 2)
  } finally {
    await home.cleanup()
    await llm.close()
  }
})

Deno.test("claw agent answers /help without the model, and /new archives the session to memory first", async () => {
  const llm = await startFakeLlm()
  const home = await makeHome(fakeLlmConfig(llm.url))
  try {
    await runClaw(["agent", "-m", "My name is Ada"], { env: home.env })
    const help = await runClaw(["agent", "-m", "/help"], { env: home.env })
    assertStringIncludes(help.stdout, "/new")
    assertEquals(llm.requests.length, 1)
    llm.script({
      toolCalls: [{
        name: "save_memory",
        arguments: { history_entry: "[2025-03-01 09:00] Ada introduced herself.", memory_update: "- Name: Ada" },
      }],
    })
    const fresh = await runClaw(["agent", "-m", "/new"], { env: home.env })
    assertStringIncludes(fresh.stdout, "New session started")
    assertStringIncludes(String(llm.requests[1]!.body.messages?.at(-1)?.content), "My name is Ada")
    assertEquals(await Deno.readTextFile(`${home.home}/workspace/memory/MEMORY.md`), "- Name: Ada\n")
    assertStringIncludes(await Deno.readTextFile(`${home.home}/workspace/memory/HISTORY.md`), "Ada introduced herself.")
    const after = await runClaw(["agent", "-m", "What is my name?"], { env: home.env })
    assertEquals(after.stdout.trim(), "I don't know your name.")
    assertEquals(llm.requests.length, 3)
  } finally {
    await home.cleanup()
    await llm.close()
  }
})
