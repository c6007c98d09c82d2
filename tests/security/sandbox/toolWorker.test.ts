/**
 * The tool worker's permissions hold on their own: with the path checks switched off inside the worker (as if they
 * had a bug), Deno still refuses every read and write outside the workspace, and the worker sees no environment.
 */
import * as Effect from "effect/Effect"
import { startToolWorker } from "../../../src/agent/tools/internal/workerHost.ts"
import type { WorkerInit } from "../../../src/agent/tools/internal/workerProtocol.ts"
import { APP_PATHS } from "../../../src/security/permissions/appPaths.ts"
import { assert, assertEquals } from "../../support/assert.ts"

const withWorker = async (
  body: (
    call: (name: string, args: unknown) => Promise<string>,
    dirs: { root: string; workspace: string },
  ) => Promise<void>,
) => {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "claw-worker-" }))
  const workspace = `${root}/workspace`
  await Deno.mkdir(workspace)
  await Deno.writeTextFile(`${root}/secret.txt`, "outside secret")
  const init: WorkerInit = {
    _tag: "Init",
    workspace,
    homeDir: root,
    os: "linux",
    arch: "x86_64",
    configPath: `${root}/config.json`,
    tools: { restrictToWorkspace: false },
  }
  const read = [workspace, APP_PATHS.source, APP_PATHS.nodeModules]
  try {
    await Effect.runPromise(Effect.scoped(Effect.gen(function* () {
      const worker = yield* startToolWorker(init, { read, write: [workspace], net: false })
      const call = (name: string, args: unknown) =>
        Effect.runPromise(
          worker.call(name, args).pipe(Effect.catch((error) => Effect.succeed(`Error: ${error.message}`))),
        )
      yield* Effect.promise(() => body(call, { root, workspace }))
    })))
  } finally {
    await Deno.remove(root, { recursive: true })
  }
}

Deno.test("tool worker: Deno refuses reads and writes outside the workspace even without path checks", () =>
  withWorker(async (call, { root, workspace }) => {
    assertEquals(await call("write_file", { path: "inside.txt", content: "ok" }), "Wrote 2 bytes to inside.txt")
    assertEquals(await call("read_file", { path: "inside.txt" }), "ok")
    assertEquals(await Deno.readTextFile(`${workspace}/inside.txt`), "ok")
    for (const path of ["../secret.txt", `${root}/secret.txt`, "~/secret.txt", "/etc/passwd"]) {
      const result = await call("read_file", { path })
      assert(result.startsWith("Error: ") && !result.includes("outside secret") && !result.includes("root:"), result)
    }
    const listed = await call("list_dir", { path: root })
    assert(listed.startsWith("Error: ") && !listed.includes("secret.txt"), listed)
    const written = await call("write_file", { path: "../planted.txt", content: "x" })
    assert(written.startsWith("Error: "), written)
    assert(!(await Deno.stat(`${root}/planted.txt`).then(() => true, () => false)), "a file was written outside")
  }))

Deno.test("tool worker: no network when none is granted, and tools that do not run there are refused", () =>
  withWorker(async (call) => {
    const fetched = await call("web_fetch", { url: "http://127.0.0.1:9/" })
    assert(fetched.startsWith("Error: ") && /net access|Refused/.test(fetched), fetched)
    assertEquals(await call("no_such_tool", {}), "Error: no_such_tool does not run in the sandbox")
  }))
