/**
 * Which lines of HEARTBEAT.md count as tasks: list items under "## Tasks", outside HTML comments and code fences,
 * not ticked off. The bundled template lists none.
 */
import { heartbeatPrompt, heartbeatTasks } from "../../src/heartbeat/heartbeatTasks.ts"
import { assertEquals, assertStringIncludes } from "../support/assert.ts"

const template = await Deno.readTextFile(new URL("../../src/agent/templates/HEARTBEAT.md", import.meta.url))

Deno.test("heartbeatTasks finds no tasks in the bundled template (its example is a comment)", () => {
  assertEquals(heartbeatTasks(template), [])
  assertEquals(heartbeatTasks(""), [])
})

Deno.test("heartbeatTasks reads list items under ## Tasks and ignores everything else", () => {
  const markdown = `# Heartbeat

- not a task: above the Tasks section

## Tasks

<!-- - commented out -->
- Check the weather in Berlin
* Water the plants
1. Summarise my inbox
- [ ] Pay the rent
- [x] Already done
-

\`\`\`
- inside a code fence
\`\`\`

### Later today
- Call mum

## Notes
- a note, not a task
<!-- unterminated comment
- hidden`
  assertEquals(heartbeatTasks(markdown), [
    "Check the weather in Berlin",
    "Water the plants",
    "Summarise my inbox",
    "Pay the rent",
    "Call mum",
  ])
})

Deno.test("heartbeatTasks accepts the template with a task added below the comment", () => {
  assertEquals(heartbeatTasks(`${template}\n- Remind me to stretch\n`), ["Remind me to stretch"])
})

Deno.test("heartbeatPrompt lists the tasks and says it is a periodic check", () => {
  const prompt = heartbeatPrompt(["a", "b"], 1800)
  assertStringIncludes(prompt, "every 30 min")
  assertStringIncludes(prompt, "- a\n- b")
})
