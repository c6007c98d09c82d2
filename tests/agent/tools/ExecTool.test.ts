import { EXEC_MAX_OUTPUT_CHARS } from "../../../src/agent/tools/ExecTool.ts"
import { assert, assertExcludes, assertIncludes, withHarness } from "./_harness.ts"

Deno.test(
  "exec runs through sh -c in the workspace and reports output and exit code",
  withHarness({}, async ({ call, workspace }) => {
    await Deno.writeTextFile(`${workspace}/hello.txt`, "hi there")
    assert.equal(await call("exec", { command: "cat hello.txt && pwd" }), `hi there${workspace}\n[exit code: 0]`)
    assert.equal(await call("exec", { command: "echo out; echo err >&2; exit 3" }), "out\nerr\n[exit code: 3]")
    assert.equal(await call("exec", { command: "true" }), "(no output)\n[exit code: 0]")
  }),
)

Deno.test(
  "exec runs in working_dir, resolved against the workspace",
  withHarness({}, async ({ call, workspace }) => {
    await Deno.mkdir(`${workspace}/sub`)
    assert.equal(await call("exec", { command: "pwd", working_dir: "sub" }), `${workspace}/sub\n[exit code: 0]`)
    assertIncludes(await call("exec", { command: "pwd", working_dir: "nope" }), "File not found: nope")
  }),
)

Deno.test(
  "exec kills a command that outlives the timeout, with its children, and says so",
  withHarness({ tools: { exec: { timeout: 1 } } }, async ({ call, workspace }) => {
    const started = Date.now()
    const result = await call("exec", { command: "echo started; (sleep 7; touch late.txt) & sleep 7" })
    assert.ok(Date.now() - started < 5000, "the command was not stopped in time")
    assert.equal(result, "started\n[Command timed out after 1 s and was killed]")
    await new Promise((resolve) => setTimeout(resolve, 300))
    const ps = new Deno.Command("sh", { args: ["-c", "ps -eo args | grep -c '^sleep 7$' || true"] }).outputSync()
    assert.equal(new TextDecoder().decode(ps.stdout).trim(), "0")
    assert.equal(await Deno.lstat(`${workspace}/late.txt`).then(() => true, () => false), false)
  }),
)

Deno.test(
  "exec caps the output at 10,000 characters with a truncation note",
  withHarness({}, async ({ call }) => {
    const result = await call("exec", { command: "head -c 25000 /dev/zero | tr '\\0' 'a'" })
    assert.ok(result.startsWith("a".repeat(EXEC_MAX_OUTPUT_CHARS) + "\n... [output truncated: 15000 more characters]"))
    assert.ok(result.endsWith("[exit code: 0]"))
  }),
)

Deno.test(
  "exec gives the child PATH, HOME, LANG and TERM but never API keys",
  withHarness({ env: { OPENAI_API_KEY: "sk-from-env-service", LANG: "C.UTF-8" } }, async ({ call, home }) => {
    Deno.env.set("OPENAI_API_KEY", "sk-parent-process")
    try {
      const result = await call("exec", { command: "env" })
      assertExcludes(result, "OPENAI_API_KEY")
      assertExcludes(result, "sk-")
      assertIncludes(result, `HOME=${home}`)
      assertIncludes(result, "LANG=C.UTF-8")
      assertIncludes(result, "PATH=")
    } finally {
      Deno.env.delete("OPENAI_API_KEY")
    }
  }),
)

const allowList = { tools: { exec: { allowedCommands: ["echo", "ls", "cat"] } } }

Deno.test(
  "exec with allowedCommands runs listed programs without a shell",
  withHarness(allowList, async ({ call, workspace }) => {
    await Deno.writeTextFile(`${workspace}/x`, "content of x")
    assert.equal(await call("exec", { command: "echo 'a  b' \"c;d\" e\\ f" }), "a  b c;d e f\n[exit code: 0]")
    assert.equal(await call("exec", { command: "/bin/cat x" }), "content of x\n[exit code: 0]")
  }),
)

Deno.test(
  "exec with allowedCommands refuses other programs and shell syntax",
  withHarness(allowList, async ({ call, workspace }) => {
    await Deno.writeTextFile(`${workspace}/x`, "secret")
    assertIncludes(await call("exec", { command: "sh -c 'echo hi'" }), 'Command refused: "sh" is not in')
    const refused: Array<[string, string]> = [
      ["ls; cat x", "the shell operator ;"],
      ["ls | cat", "the shell operator |"],
      ["cat x > y", "the shell operator >"],
      ["ls && cat x", "the shell operator &&"],
      ["echo $(cat x)", "$ (substitution)"],
      ["echo `cat x`", "backticks"],
      ["echo $HOME", "the variable $HOME"],
      ["ls *.txt", "the glob *.txt"],
      ["ls\ncat x", "a line break"],
    ]
    for (const [command, reason] of refused) {
      const result = await call("exec", { command })
      assertIncludes(result, `Command refused: it contains ${reason}`)
      assertExcludes(result, "secret")
    }
    assert.equal(await Deno.lstat(`${workspace}/y`).then(() => true, () => false), false)
  }),
)

Deno.test(
  "exec is left out when restrictToWorkspace is on, unless enabled explicitly",
  withHarness({ tools: { restrictToWorkspace: true } }, async ({ call, registry, runtime }) => {
    assert.ok(!(await runtime.runPromise(registry.names)).includes("exec"))
    assertIncludes(await call("exec", { command: "ls" }), 'there is no tool named "exec"')
  }),
)

Deno.test(
  "exec enabled under restrictToWorkspace confines working_dir to the workspace",
  withHarness({ tools: { restrictToWorkspace: true, exec: { enabled: true } } }, async ({ call }) => {
    assertIncludes(
      await call("exec", { command: "pwd", working_dir: ".." }),
      "Access denied: .. is outside the workspace",
    )
    assertIncludes(
      await call("exec", { command: "pwd", working_dir: "/" }),
      "Access denied: / is outside the workspace",
    )
  }),
)

Deno.test(
  "exec is left out when tools.exec.enabled is false",
  withHarness({ tools: { exec: { enabled: false } } }, async ({ call }) => {
    assertIncludes(await call("exec", { command: "ls" }), 'there is no tool named "exec"')
  }),
)

Deno.test(
  "exec turns a missing command argument into an error text",
  withHarness({}, async ({ call }) => {
    assertIncludes(await call("exec", { working_dir: "." }), "Error: invalid arguments for exec: command:")
  }),
)
