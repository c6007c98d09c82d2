import { LIST_DIR_MAX_ENTRIES } from "../../../src/agent/tools/ListDirTool.ts"
import { assert, assertIncludes, withHarness } from "./_harness.ts"

Deno.test(
  "list_dir lists entries sorted with a trailing / on directories",
  withHarness({}, async ({ call, workspace }) => {
    await Deno.mkdir(`${workspace}/src`)
    await Deno.mkdir(`${workspace}/docs`)
    await Deno.writeTextFile(`${workspace}/b.txt`, "")
    await Deno.writeTextFile(`${workspace}/a.txt`, "")
    await Deno.writeTextFile(`${workspace}/.hidden`, "")
    await Deno.symlink(`${workspace}/src`, `${workspace}/srclink`)
    assert.equal(
      await call("list_dir", { path: "." }),
      [".hidden", "a.txt", "b.txt", "docs/", "src/", "srclink/"].join("\n"),
    )
    assert.equal(
      await call("list_dir", { path: workspace }),
      [".hidden", "a.txt", "b.txt", "docs/", "src/", "srclink/"].join("\n"),
    )
  }),
)

Deno.test(
  "list_dir reports empty directories, files and missing directories",
  withHarness({}, async ({ call, workspace }) => {
    await Deno.mkdir(`${workspace}/empty`)
    await Deno.writeTextFile(`${workspace}/file.txt`, "x")
    assert.equal(await call("list_dir", { path: "empty" }), "(empty is empty)")
    assertIncludes(await call("list_dir", { path: "file.txt" }), "file.txt is not a directory")
    assertIncludes(await call("list_dir", { path: "missing" }), "Directory not found: missing")
    assertIncludes(await call("list_dir", {}), "invalid arguments for list_dir: path:")
  }),
)

Deno.test(
  "list_dir cuts very long listings with a note",
  withHarness({}, async ({ call, workspace }) => {
    await Deno.mkdir(`${workspace}/many`)
    for (let i = 0; i < LIST_DIR_MAX_ENTRIES + 3; i++) {
      await Deno.writeTextFile(`${workspace}/many/f${String(i).padStart(5, "0")}`, "")
    }
    const lines = (await call("list_dir", { path: "many" })).split("\n")
    assert.equal(lines.length, LIST_DIR_MAX_ENTRIES + 1)
    assert.equal(lines.at(-1), "[... 3 more entries not shown]")
  }),
)

Deno.test(
  "list_dir with restrictToWorkspace denies directories outside the workspace",
  withHarness({ tools: { restrictToWorkspace: true } }, async ({ call, home, workspace }) => {
    await Deno.symlink(home, `${workspace}/up`)
    for (const path of ["..", home, "up", "/"]) {
      assertIncludes(await call("list_dir", { path }), `Access denied: ${path} is outside the workspace`)
    }
  }),
)
