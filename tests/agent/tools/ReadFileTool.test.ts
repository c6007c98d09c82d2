import { READ_FILE_MAX_BYTES } from "../../../src/agent/tools/ReadFileTool.ts"
import { assert, assertExcludes, assertIncludes, isError, withHarness } from "./_harness.ts"

const restricted = { tools: { restrictToWorkspace: true } }

Deno.test(
  "read_file resolves relative paths against the workspace and reads absolute paths",
  withHarness({}, async ({ call, workspace }) => {
    await Deno.mkdir(`${workspace}/notes`)
    await Deno.writeTextFile(`${workspace}/notes/a.txt`, "hello from a\n")
    assert.equal(await call("read_file", { path: "notes/a.txt" }), "hello from a\n")
    assert.equal(await call("read_file", { path: `${workspace}/notes/a.txt` }), "hello from a\n")
  }),
)

Deno.test(
  "read_file expands ~ to the home directory",
  withHarness({}, async ({ call, home }) => {
    await Deno.writeTextFile(`${home}/profile.md`, "I am home")
    assert.equal(await call("read_file", { path: "~/profile.md" }), "I am home")
  }),
)

Deno.test(
  "read_file truncates large files and says how much it showed",
  withHarness({}, async ({ call, workspace }) => {
    const size = READ_FILE_MAX_BYTES + 5000
    await Deno.writeTextFile(`${workspace}/big.txt`, "x".repeat(size))
    const result = await call("read_file", { path: "big.txt" })
    assertIncludes(result, `[Truncated: showing the first ${READ_FILE_MAX_BYTES} of ${size} bytes of big.txt.]`)
    assert.equal(result.indexOf("\n\n[Truncated"), READ_FILE_MAX_BYTES)
  }),
)

Deno.test(
  "read_file reports missing files, directories and binary files clearly",
  withHarness({}, async ({ call, workspace }) => {
    await Deno.mkdir(`${workspace}/dir`)
    await Deno.writeFile(`${workspace}/blob.bin`, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]))
    const missing = await call("read_file", { path: "nope.txt" })
    assert.ok(isError(missing))
    assertIncludes(missing, "File not found: nope.txt")
    assertIncludes(await call("read_file", { path: "dir" }), "dir is a directory; use list_dir")
    assertIncludes(await call("read_file", { path: "blob.bin" }), "blob.bin looks like a binary file (8 bytes)")
  }),
)

Deno.test(
  "read_file turns invalid arguments into an error text",
  withHarness({}, async ({ call }) => {
    const missingPath = await call("read_file", { file: "a.txt" })
    assertIncludes(missingPath, "Error: invalid arguments for read_file: path:")
    assertIncludes(await call("read_file", "{not json"), "are not valid JSON")
    assertIncludes(await call("read_file", { path: 42 }), "invalid arguments for read_file")
  }),
)

Deno.test(
  "read_file with restrictToWorkspace denies ../, absolute outside paths and links leading outside",
  withHarness(restricted, async ({ call, home, workspace }) => {
    await Deno.writeTextFile(`${home}/secret.txt`, "top secret")
    await Deno.symlink(`${home}/secret.txt`, `${workspace}/innocent.txt`)
    await Deno.symlink(home, `${workspace}/homelink`)
    for (const path of ["../secret.txt", `${home}/secret.txt`, "innocent.txt", "homelink/secret.txt", "~/secret.txt"]) {
      const result = await call("read_file", { path })
      assertIncludes(result, `Access denied: ${path} is outside the workspace`)
      assertExcludes(result, "top secret")
    }
  }),
)

Deno.test(
  "read_file with restrictToWorkspace still follows links that stay inside the workspace",
  withHarness(restricted, async ({ call, workspace }) => {
    await Deno.mkdir(`${workspace}/real`)
    await Deno.writeTextFile(`${workspace}/real/file.txt`, "inside")
    await Deno.symlink(`${workspace}/real`, `${workspace}/alias`)
    assert.equal(await call("read_file", { path: "alias/file.txt" }), "inside")
    assert.equal(await call("read_file", { path: "./real/../real/file.txt" }), "inside")
  }),
)
