/**
 * The single binary: `main.ts` runs under exactly the runtime flags `deno compile` bakes in (build-flags.ts), every
 * file read at run time is embedded, every import is static, and `deno task compile` either builds a binary that
 * works or says in one line that it could not download its runtime.
 */
import { fileURLToPath } from "node:url"
import { compileArgs, INCLUDES, outputPath, RUNTIME_FLAGS, type Target, TARGETS } from "../../scripts/build-flags.ts"
import { TEMPLATE_FILES } from "../../src/agent/Workspace.ts"
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts"
import { fakeLlmConfig, makeHome, runClaw } from "../support/cli.ts"
import { startFakeLlm } from "../support/fake_llm.ts"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

Deno.test("main.ts under the binary's runtime flags onboards from the embedded templates and sees bundled skills", async () => {
  const llm = await startFakeLlm()
  const home = await makeHome(undefined)
  try {
    const flags = [...RUNTIME_FLAGS]
    const onboard = await runClaw(["onboard"], { env: home.env, flags })
    assertEquals(onboard.code, 0, onboard.stderr)
    for (const file of TEMPLATE_FILES) {
      const expected = await Deno.readTextFile(`${ROOT}src/agent/templates/${file}`)
      assertEquals(await Deno.readTextFile(`${home.home}/workspace/${file}`), expected, file)
    }
    const skills = await runClaw(["skills", "list"], { env: home.env, flags })
    assertEquals(skills.code, 0, skills.stderr)
    assertStringIncludes(skills.stdout, "weather")
    await Deno.writeTextFile(home.configPath, JSON.stringify(fakeLlmConfig(llm.url)))
    llm.script({ toolCalls: [{ name: "read_file", arguments: { path: "AGENTS.md" } }] }, { text: "done" })
    const agent = await runClaw(["agent", "-m", "read your instructions"], { env: home.env, flags })
    assertEquals(agent.code, 0, agent.stderr)
    const toolResult = llm.requests[1]?.body.messages?.find((message) => message.role === "tool")
    assertEquals(toolResult?.content, await Deno.readTextFile(`${ROOT}src/agent/templates/AGENTS.md`))
  } finally {
    await home.cleanup()
    await llm.close()
  }
})

Deno.test("the compile flags embed every runtime file, and every import of main.ts and the tool worker is static", async () => {
  for (const path of INCLUDES) assert(await Deno.stat(`${ROOT}${path}`).then(() => true, () => false), path)
  assert(compileArgs("x86_64-unknown-linux-gnu").join(" ").includes("--include skills --include src/agent/templates"))
  for (const entry of ["main.ts", "src/agent/tools/internal/toolWorker.ts"]) {
    const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json", entry], cwd: ROOT }).output()
    assertEquals(info.code, 0, decode(info.stderr))
    const graph = JSON.parse(decode(info.stdout)) as { modules: ReadonlyArray<{ specifier: string; error?: string }> }
    const broken = graph.modules.filter((module) => module.error !== undefined)
    assertEquals(broken.map((module) => `${module.specifier}: ${module.error}`), [])
    if (entry === "main.ts") assert(graph.modules.some((module) => module.specifier.endsWith("/readableHtml.ts")))
  }
})

Deno.test("deno task compile builds a working binary, or says in one line that it cannot download the runtime", async () => {
  const target = TARGETS.find((name) => name === Deno.build.target) as Target | undefined
  if (target === undefined) return
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write=dist", "--allow-run", "scripts/compile.ts", "--target", target],
    cwd: ROOT,
  }).output()
  const stderr = decode(result.stderr).trim()
  if (result.code !== 0) {
    assertEquals(stderr.split("\n").length, 1, stderr)
    assertStringIncludes(stderr, `deno compile could not download its runtime for ${target} from dl.deno.land`)
    return
  }
  const binary = `${ROOT}${outputPath(target)}`
  const version = await new Deno.Command(binary, { args: ["--version"] }).output()
  assertEquals(version.code, 0, decode(version.stderr))
  const home = await makeHome(undefined)
  try {
    const onboard = await new Deno.Command(binary, { args: ["onboard"], env: home.env }).output()
    assertEquals(onboard.code, 0, decode(onboard.stderr))
    assert(await Deno.stat(`${home.home}/workspace/AGENTS.md`).then(() => true, () => false))
    assertStringIncludes(await Deno.readTextFile(`${ROOT}dist/SHA256SUMS`), outputPath(target).slice("dist/".length))
  } finally {
    await home.cleanup()
  }
})
