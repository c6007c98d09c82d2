import * as Effect from "effect/Effect"
import { renderMarkdown } from "../../src/cli/renderMarkdown.ts"
import { assert, assertStringIncludes } from "../support/assert.ts"

Deno.test("renderMarkdown renders Markdown for the terminal instead of printing the syntax", async () => {
  const out = await Effect.runPromise(renderMarkdown("# Title\n\nSome **bold** text.\n\n- first\n- second"))
  assertStringIncludes(out, "Title")
  assertStringIncludes(out, "bold")
  assert(!out.includes("**bold**"), out)
})
