import { assert, assertIncludes, withHarness } from "./_harness.ts"

const restricted = { tools: { restrictToWorkspace: true } }

const exists = (path: string) => Deno.lstat(path).then(() => true, () => false)

Deno.test(
  "write_file creates parent directories and reports the bytes written",
  withHarness({}, async ({ call, workspace }) => {
    const result = await call("write_file", { path: "a/b/c.txt", content: "héllo" })
    assert.equal(result, "Wrote 6 bytes to a/b/c.txt")
    assert.equal(await Deno.readTextFile(`${workspace}/a/b/c.txt`), "héllo")
  }),
)

Deno.test(
  "write_file replaces an existing file and accepts absolute paths",
  withHarness({}, async ({ call, workspace }) => {
    await Deno.writeTextFile(`${workspace}/x.txt`, "old content that is longer")
    assert.equal(
      await call("write_file", { path: `${workspace}/x.txt`, content: "new" }),
      `Wrote 3 bytes to ${workspace}/x.txt`,
    )
    assert.equal(await Deno.readTextFile(`${workspace}/x.txt`), "new")
  }),
)

Deno.test(
  "write_file requires content",
  withHarness({}, async ({ call, workspace }) => {
    assertIncludes(await call("write_file", { path: "x.txt" }), "invalid arguments for write_file: content:")
    assert.equal(await exists(`${workspace}/x.txt`), false)
  }),
)

Deno.test(
  "write_file with restrictToWorkspace denies ../, absolute outside paths and links leading outside",
  withHarness(restricted, async ({ call, home, workspace }) => {
    await Deno.mkdir(`${home}/outside`)
    await Deno.symlink(`${home}/outside`, `${workspace}/linkdir`)
    await Deno.symlink(`${home}/outside/dangling.txt`, `${workspace}/dangling.txt`)
    const attempts = ["../escape.txt", `${home}/outside/abs.txt`, "linkdir/new/deep.txt", "dangling.txt"]
    for (const path of attempts) {
      assertIncludes(
        await call("write_file", { path, content: "x" }),
        `Access denied: ${path} is outside the workspace`,
      )
    }
    assert.deepEqual([...Deno.readDirSync(`${home}/outside`)], [])
    assert.equal(await exists(`${home}/escape.txt`), false)
  }),
)

Deno.test(
  "write_file with restrictToWorkspace writes new files inside the workspace",
  withHarness(restricted, async ({ call, workspace }) => {
    assert.equal(await call("write_file", { path: "sub/ok.txt", content: "fine" }), "Wrote 4 bytes to sub/ok.txt")
    assert.equal(await Deno.readTextFile(`${workspace}/sub/ok.txt`), "fine")
  }),
)
