import { assert, assertExcludes, assertIncludes, withHarness } from "./_harness.ts"

const SOURCE = [
  "export function greet(name: string) {",
  '  const greeting = "Hello"',
  "  return `${greeting}, ${name}!`",
  "}",
  "",
  "export function part() {",
  "  return 1",
  "}",
  "",
  "export function other() {",
  "  return 1",
  "}",
  "",
].join("\n")

Deno.test(
  "edit_file replaces a unique exact match",
  withHarness({}, async ({ call, workspace }) => {
    await Deno.writeTextFile(`${workspace}/greet.ts`, SOURCE)
    const result = await call("edit_file", {
      path: "greet.ts",
      old_text: '  const greeting = "Hello"',
      new_text: '  const greeting = "Hi $& $1"',
    })
    assert.equal(result, "Edited greet.ts (line 2)")
    const updated = await Deno.readTextFile(`${workspace}/greet.ts`)
    assert.equal(updated, SOURCE.replace('"Hello"', () => '"Hi $& $1"'))
  }),
)

Deno.test(
  "edit_file refuses several matches, says how many and asks for more context",
  withHarness({}, async ({ call, workspace }) => {
    await Deno.writeTextFile(`${workspace}/greet.ts`, SOURCE)
    const result = await call("edit_file", { path: "greet.ts", old_text: "  return 1\n", new_text: "  return 2\n" })
    assertIncludes(result, "old_text appears 2 times in greet.ts (at lines 7, 11)")
    assertIncludes(result, "Include more surrounding lines")
    assert.equal(await Deno.readTextFile(`${workspace}/greet.ts`), SOURCE)
  }),
)

Deno.test(
  "edit_file shows the closest match when old_text is missing",
  withHarness({}, async ({ call, workspace }) => {
    await Deno.writeTextFile(`${workspace}/greet.ts`, SOURCE)
    const result = await call("edit_file", {
      path: "greet.ts",
      old_text: 'export function greet(name: string) {\n  const greeting = "Hallo"\n',
      new_text: "x",
    })
    assertIncludes(result, "old_text was not found in greet.ts. The closest match (lines 1-2,")
    assertIncludes(result, '2|   const greeting = "Hello"')
    assertIncludes(result, 'First difference at line 2:\n  expected: "  const greeting = \\"Hallo\\""')
    assert.equal(await Deno.readTextFile(`${workspace}/greet.ts`), SOURCE)
  }),
)

Deno.test(
  "edit_file points out a match that differs only in indentation",
  withHarness({}, async ({ call, workspace }) => {
    await Deno.writeTextFile(`${workspace}/greet.ts`, SOURCE)
    const result = await call("edit_file", {
      path: "greet.ts",
      old_text: "export function other() {\nreturn 1",
      new_text: "",
    })
    assertIncludes(result, "The closest match (lines 10-11, 100% similar)")
    assertIncludes(result, "It differs only in whitespace or indentation.")
  }),
)

Deno.test(
  "edit_file says so when nothing in the file resembles old_text",
  withHarness({}, async ({ call, workspace }) => {
    await Deno.writeTextFile(`${workspace}/greet.ts`, SOURCE)
    const result = await call("edit_file", { path: "greet.ts", old_text: "zzzz qqqq", new_text: "" })
    assertIncludes(result, "old_text was not found in greet.ts, and no similar region exists")
    assertExcludes(result, "closest match")
  }),
)

Deno.test(
  "edit_file matches LF old_text in a CRLF file and keeps its line endings",
  withHarness({}, async ({ call, workspace }) => {
    await Deno.writeTextFile(`${workspace}/win.txt`, "one\r\ntwo\r\nthree\r\n")
    assert.equal(
      await call("edit_file", { path: "win.txt", old_text: "two\nthree", new_text: "2\n3" }),
      "Edited win.txt (line 2)",
    )
    assert.equal(await Deno.readTextFile(`${workspace}/win.txt`), "one\r\n2\r\n3\r\n")
  }),
)

Deno.test(
  "edit_file rejects an empty old_text and a missing file",
  withHarness({}, async ({ call }) => {
    assertIncludes(await call("edit_file", { path: "a.txt", old_text: "", new_text: "x" }), "old_text is empty")
    assertIncludes(await call("edit_file", { path: "a.txt", old_text: "a", new_text: "x" }), "File not found: a.txt")
    assertIncludes(
      await call("edit_file", { path: "a.txt", old_text: "a" }),
      "invalid arguments for edit_file: new_text:",
    )
  }),
)

Deno.test(
  "edit_file with restrictToWorkspace denies files outside the workspace",
  withHarness({ tools: { restrictToWorkspace: true } }, async ({ call, home }) => {
    await Deno.writeTextFile(`${home}/outside.txt`, "keep me")
    const result = await call("edit_file", { path: "../outside.txt", old_text: "keep", new_text: "lose" })
    assertIncludes(result, "Access denied: ../outside.txt is outside the workspace")
    assert.equal(await Deno.readTextFile(`${home}/outside.txt`), "keep me")
  }),
)
