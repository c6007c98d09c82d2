import { assert, withHarness } from "./_harness.ts"

const ALL = ["read_file", "write_file", "edit_file", "list_dir", "exec", "web_search", "web_fetch", "message"]

Deno.test(
  "builtinTools provides every built-in tool by default",
  withHarness({}, async ({ registry, runtime }) => {
    assert.deepEqual(await runtime.runPromise(registry.names), ALL)
  }),
)

Deno.test(
  "builtinTools leaves exec out when confined to the workspace",
  withHarness({ tools: { restrictToWorkspace: true } }, async ({ registry, runtime }) => {
    assert.deepEqual(await runtime.runPromise(registry.names), ALL.filter((name) => name !== "exec"))
  }),
)

Deno.test(
  "builtinTools describes every parameter in the JSON Schema sent to the model",
  withHarness({}, async ({ registry, runtime }) => {
    const specs = await runtime.runPromise(registry.specs())
    for (const spec of specs) {
      assert.ok(spec.description.length > 20, `${spec.name} has no real description`)
      const properties = spec.parameters.properties as Record<string, { description?: string }>
      for (const [name, schema] of Object.entries(properties)) {
        assert.ok(schema.description !== undefined, `${spec.name}.${name} has no description`)
      }
    }
    const exec = specs.find((spec) => spec.name === "exec")
    assert.deepEqual(Object.keys(exec?.parameters.properties ?? {}), ["command", "working_dir"])
    assert.deepEqual(exec?.parameters.required, ["command"])
  }),
)
