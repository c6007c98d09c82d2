/**
 * The fake LLM server itself, over plain `fetch`: the rule-based answers end-to-end tests rely on, the
 * non-streaming and `/v1/models` endpoints, instant mode, and the key check.
 */
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict"
import { defaultAnswer, startFakeLlm } from "./fake_llm.ts"

const user = (content: string) => ({ role: "user", content })

Deno.test("fake_llm answers arithmetic, remembers a name from earlier user messages, and echoes", () => {
  assertEquals(defaultAnswer({ messages: [user("What is 2+2?")] }), "4")
  assertEquals(defaultAnswer({ messages: [user("My name is Ada Lovelace.")] }), "Nice to meet you, Ada Lovelace.")
  const conversation = [user("My name is Ada."), { role: "assistant", content: "Hi" }, user("What is my name?")]
  assertEquals(defaultAnswer({ messages: conversation }), "Your name is Ada.")
  assertEquals(defaultAnswer({ messages: [user("What is my name?")] }), "I don't know your name.")
  assertEquals(defaultAnswer({ messages: [{ role: "system", content: "sys" }, user("hello")] }), "Echo: hello")
})

Deno.test("fake_llm serves non-streaming completions, the model list and a 401 for a wrong key", async () => {
  const fake = await startFakeLlm({ apiKey: "right" })
  try {
    const headers = { authorization: "Bearer right", "content-type": "application/json" }
    const models = await (await fetch(`${fake.url}/models`, { headers })).json()
    assertEquals(models.data[0].id, "fake-model")
    const body = JSON.stringify({ model: "m", messages: [user("2+2")] })
    const completion = await (await fetch(`${fake.url}/chat/completions`, { method: "POST", headers, body })).json()
    assertEquals([completion.object, completion.choices[0].message.content], ["chat.completion", "4"])
    const denied = await fetch(`${fake.url}/chat/completions`, { method: "POST", body })
    assertEquals(denied.status, 401)
    await denied.body?.cancel()
    assertEquals(fake.requests.map((r) => [r.method, r.path]), [
      ["GET", "/v1/models"],
      ["POST", "/v1/chat/completions"],
      ["POST", "/v1/chat/completions"],
    ])
  } finally {
    await fake.close()
  }
})

Deno.test("fake_llm instant mode streams the smallest valid answer", async () => {
  const fake = await startFakeLlm({ instant: true })
  try {
    const body = JSON.stringify({ model: "m", stream: true, messages: [user("anything")] })
    const text = await (await fetch(`${fake.url}/chat/completions`, { method: "POST", body })).text()
    const events = text.split("\n\n").filter((event) => event !== "").map((event) => event.slice("data: ".length))
    assertEquals(events[events.length - 1], "[DONE]")
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event))
    assertEquals(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join(""), "ok")
    assert(chunks.some((chunk) => chunk.choices[0]?.finish_reason === "stop"))
  } finally {
    await fake.close()
  }
})
