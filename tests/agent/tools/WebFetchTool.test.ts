import { blockedReason } from "../../../src/agent/tools/internal/addressPolicy.ts"
import { makeWebFetchTool } from "../../../src/agent/tools/WebFetchTool.ts"
import { assert, assertExcludes, assertIncludes, withHarness } from "./_harness.ts"

const ARTICLE = `<!doctype html><html><head><title>Claw notes</title><style>body{}</style></head><body>
<nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article><h1>How claw works</h1>
<p>The gateway reads <a href="/docs/config">its config</a> and starts <b>every channel</b>. ${
  "Messages flow from channels to the agent and back again. ".repeat(12)
}</p>
<p>Tools run inside the workspace. ${"Each tool answers with text for the model. ".repeat(12)}</p>
<ul><li>read_file</li><li>web_fetch</li></ul><script>alert("no")</script></article>
<footer>Copyright</footer></body></html>`

/** A loopback site: an article, JSON, plain text, redirects and a redirect loop. Counts every hit. */
const startSite = (hostname = "127.0.0.1", redirectTo?: () => string) => {
  const hits: Array<string> = []
  const server = Deno.serve({ hostname, port: 0, onListen: () => {} }, (request) => {
    const { pathname } = new URL(request.url)
    hits.push(pathname)
    switch (pathname) {
      case "/article":
        return new Response(ARTICLE, { headers: { "content-type": "text/html; charset=utf-8" } })
      case "/data.json":
        return Response.json({ name: "claw", tools: ["exec"] })
      case "/plain":
        return new Response("just text", { headers: { "content-type": "text/plain" } })
      case "/image":
        return new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]), {
          headers: { "content-type": "image/png" },
        })
      case "/moved":
        return new Response(null, { status: 302, headers: { location: "/article" } })
      case "/loop":
        return new Response(null, { status: 301, headers: { location: "/loop" } })
      case "/away":
        return new Response(null, { status: 307, headers: { location: redirectTo?.() ?? "/" } })
      default:
        return new Response("not here", { status: 404 })
    }
  })
  return { hits, server, base: `http://${hostname}:${server.addr.port}` }
}

const open = { tools: { web: { fetch: { allowPrivateNetwork: true } } } }

Deno.test("web_fetch turns an HTML page into Markdown headed by the final URL and status", async () => {
  const site = startSite()
  try {
    await withHarness(open, async ({ call }) => {
      const result = await call("web_fetch", { url: `${site.base}/moved` })
      assert.ok(result.startsWith(`URL: ${site.base}/article\nStatus: 200\nTitle: Claw notes\n\n`), result)
      assertIncludes(result, "\n## How claw works\n")
      assertIncludes(result, `[its config](${site.base}/docs/config)`)
      assertIncludes(result, "**every channel**")
      assertIncludes(result, "-   read_file")
      assertExcludes(result, "alert(")
      assertExcludes(result, "Copyright")
    })()
  } finally {
    await site.server.shutdown()
  }
})

Deno.test("web_fetch returns plain text in text mode and truncates to maxChars with a note", async () => {
  const site = startSite()
  try {
    await withHarness(open, async ({ call }) => {
      const text = await call("web_fetch", { url: `${site.base}/article`, extractMode: "text" })
      assertIncludes(text, "How claw works\n\nThe gateway reads its config and starts every channel.")
      assertExcludes(text, "**")
      assertExcludes(text, "](")
      const short = await call("web_fetch", { url: `${site.base}/article`, maxChars: 200 })
      const header = `URL: ${site.base}/article\nStatus: 200\nTitle: Claw notes\n\n`
      const noteAt = short.lastIndexOf("\n\n[Truncated")
      assert.ok(short.startsWith(header))
      assert.equal(noteAt - header.length, 200)
      assert.match(short.slice(noteAt + 2), /^\[Truncated: showing 200 of \d+ characters; pass a larger maxChars\.\]$/)
    })()
  } finally {
    await site.server.shutdown()
  }
})

Deno.test("web_fetch pretty-prints JSON, passes text through and refuses binary content", async () => {
  const site = startSite()
  try {
    await withHarness(open, async ({ call }) => {
      assertIncludes(await call("web_fetch", { url: `${site.base}/data.json` }), '{\n  "name": "claw",\n  "tools": [')
      assert.equal(
        await call("web_fetch", { url: `${site.base}/plain` }),
        `URL: ${site.base}/plain\nStatus: 200\n\njust text`,
      )
      assertIncludes(await call("web_fetch", { url: `${site.base}/image` }), "is image/png (6 bytes), not text")
      assertIncludes(await call("web_fetch", { url: `${site.base}/missing` }), "Status: 404\n\nnot here")
    })()
  } finally {
    await site.server.shutdown()
  }
})

Deno.test("web_fetch stops after 5 redirects and refuses non-http URLs", async () => {
  const site = startSite()
  try {
    await withHarness(open, async ({ call }) => {
      assertIncludes(await call("web_fetch", { url: `${site.base}/loop` }), "Too many redirects (more than 5)")
      assert.equal(site.hits.length, 6)
      assertIncludes(await call("web_fetch", { url: "file:///etc/passwd" }), "Only http and https URLs can be fetched")
      assertIncludes(await call("web_fetch", { url: "not a url" }), 'Invalid URL: "not a url"')
      assertIncludes(
        await call("web_fetch", { url: site.base, extractMode: "html" }),
        "invalid arguments for web_fetch",
      )
    })()
  } finally {
    await site.server.shutdown()
  }
})

Deno.test("web_fetch refuses loopback, link-local and private addresses unless allowed", async () => {
  const site = startSite()
  try {
    await withHarness({}, async ({ call }) => {
      const port = site.server.addr.port
      const refusals: Array<[string, string]> = [
        [`http://127.0.0.1:${port}/plain`, "127.0.0.1 is a loopback address"],
        ["http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"],
        ["http://10.0.0.1/", "10.0.0.1 is a private address"],
        ["http://[::ffff:127.0.0.1]/", "::ffff:7f00:1 is a loopback address"],
        ["http://2130706433/", "127.0.0.1 is a loopback address"],
        [`http://localhost:${port}/plain`, "localhost resolves to"],
        [`https://localhost:${port}/plain`, "localhost resolves to"],
      ]
      for (const [url, reason] of refusals) {
        const result = await call("web_fetch", { url })
        assertIncludes(result, "Refused to fetch")
        assertIncludes(result, reason)
        assertIncludes(result, "tools.web.fetch.allowPrivateNetwork")
      }
      assert.equal(site.hits.length, 0)
    })()
  } finally {
    await site.server.shutdown()
  }
})

Deno.test("web_fetch checks every redirect hop and refuses one that leads to loopback", async () => {
  const target = startSite()
  const targetPort = target.server.addr.port
  let next = ""
  const site = startSite("127.0.0.2", () => next)
  /** Treats the redirecting server on 127.0.0.2 as public; everything else keeps the real policy. */
  const check = (address: string) => (address === "127.0.0.2" ? undefined : blockedReason(address))
  const only = () => Promise.resolve([makeWebFetchTool({ allowPrivateNetwork: false, maxChars: 10_000, check })])
  try {
    await withHarness({ only }, async ({ call }) => {
      assertIncludes(await call("web_fetch", { url: `${site.base}/plain` }), "just text")
      for (const location of [`http://127.0.0.1:${targetPort}/plain`, `http://localhost:${targetPort}/plain`]) {
        next = location
        const result = await call("web_fetch", { url: `${site.base}/away` })
        assertIncludes(result, `Refused to fetch ${location}`)
      }
      next = "http://169.254.169.254/latest/meta-data/"
      assertIncludes(await call("web_fetch", { url: `${site.base}/away` }), "169.254.169.254 is a link-local address")
      assert.equal(target.hits.length, 0)
      assert.deepEqual(site.hits, ["/plain", "/away", "/away", "/away"])
    })()
  } finally {
    await site.server.shutdown()
    await target.server.shutdown()
  }
})
