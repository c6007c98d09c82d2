import { assert, assertIncludes, withHarness } from "./_harness.ts"

interface Seen {
  readonly query: string | null
  readonly count: string | null
  readonly token: string | null
}

/** A loopback server that answers like Brave's web search endpoint. */
const startFakeBrave = (status = 200) => {
  const seen: Array<Seen> = []
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const url = new URL(request.url)
    seen.push({
      query: url.searchParams.get("q"),
      count: url.searchParams.get("count"),
      token: request.headers.get("x-subscription-token"),
    })
    if (status !== 200) return new Response("nope", { status })
    const count = Number(url.searchParams.get("count"))
    const results = Array.from({ length: 12 }, (_, i) => ({
      title: `Result <strong>${i + 1}</strong>`,
      url: `https://example.com/${i + 1}`,
      description: `About &amp; around ${i + 1}`,
      extra: { ignored: true },
    })).slice(0, count)
    return Response.json({ type: "search", web: { type: "search", results } })
  })
  return { seen, server, apiBase: `http://127.0.0.1:${server.addr.port}/res/v1/web/search` }
}

Deno.test("web_search formats Brave results as numbered title/url/description lines", async () => {
  const brave = startFakeBrave()
  try {
    await withHarness(
      { tools: { web: { search: { apiKey: "brave-key", apiBase: brave.apiBase, maxResults: 3 } } } },
      async ({ call }) => {
        const result = await call("web_search", { query: "deno effect", count: 2 })
        assert.equal(
          result,
          [
            "Results for: deno effect",
            "",
            "1. Result 1",
            "   https://example.com/1",
            "   About & around 1",
            "2. Result 2",
            "   https://example.com/2",
            "   About & around 2",
          ].join("\n"),
        )
        assert.deepEqual(brave.seen[0], { query: "deno effect", count: "2", token: "brave-key" })
        const byDefault = await call("web_search", { query: "more" })
        assertIncludes(byDefault, "3. Result 3")
        assert.equal(brave.seen[1]?.count, "3")
      },
    )()
  } finally {
    await brave.server.shutdown()
  }
})

Deno.test("web_search takes the key from BRAVE_API_KEY when the config has none", async () => {
  const brave = startFakeBrave()
  try {
    await withHarness(
      { tools: { web: { search: { apiBase: brave.apiBase } } }, env: { BRAVE_API_KEY: "env-key" } },
      async ({ call }) => {
        assertIncludes(await call("web_search", { query: "x" }), "1. Result 1")
        assert.equal(brave.seen[0]?.token, "env-key")
      },
    )()
  } finally {
    await brave.server.shutdown()
  }
})

Deno.test("web_search without a key says where to put one and sends nothing", async () => {
  const brave = startFakeBrave()
  try {
    await withHarness({ tools: { web: { search: { apiBase: brave.apiBase } } } }, async ({ call, home }) => {
      const result = await call("web_search", { query: "x" })
      assertIncludes(result, `No Brave Search API key: set tools.web.search.apiKey in ${home}/config.json`)
      assertIncludes(result, "BRAVE_API_KEY")
      assert.equal(brave.seen.length, 0)
    })()
  } finally {
    await brave.server.shutdown()
  }
})

Deno.test("web_search reports a rejected key and rejects a count outside 1-10", async () => {
  const brave = startFakeBrave(401)
  try {
    await withHarness(
      { tools: { web: { search: { apiKey: "bad", apiBase: brave.apiBase } } } },
      async ({ call }) => {
        assertIncludes(await call("web_search", { query: "x" }), "Brave Search rejected the API key (HTTP 401)")
        const tooMany = await call("web_search", { query: "x", count: 11 })
        assertIncludes(tooMany, "invalid arguments for web_search: count:")
        assert.equal(brave.seen.length, 1)
      },
    )()
  } finally {
    await brave.server.shutdown()
  }
})
