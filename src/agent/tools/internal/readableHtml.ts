/**
 * HTML → readable Markdown or plain text for web_fetch: Mozilla's Readability (Firefox Reader View) picks the main
 * content out of a page parsed by linkedom, and Turndown renders it. Pages Readability cannot make sense of fall
 * back to their whole body. Loaded on first use (a static `import()`), so these libraries cost no startup time.
 */
import { Readability } from "@mozilla/readability"
import { DOMParser } from "linkedom"
// @ts-types="@types/turndown"
import TurndownService from "turndown"

export interface ReadablePage {
  readonly title: string | undefined
  readonly content: string
}

type ReadabilityInput = ConstructorParameters<typeof Readability>[0]
type TurndownInput = Parameters<TurndownService["turndown"]>[0]

const STRIPPED = ["script", "style", "noscript", "template", "iframe", "svg", "canvas", "form"] as const

const markdownService = () => {
  const service = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-" })
  service.remove([...STRIPPED])
  const escape = service.escape.bind(service)
  service.escape = (text: string) => escape(text).replace(/(?<=\w)\\_(?=\w)/g, "_")
  return service
}

/** Turndown with every formatting rule reduced to its text. */
const textService = () => {
  const service = new TurndownService({ bulletListMarker: "-" })
  service.escape = (text: string) => text
  service.remove([...STRIPPED])
  service.addRule("blocks", {
    filter: ["h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "p"],
    replacement: (content) => `\n\n${content.trim()}\n\n`,
  })
  service.addRule("inline", {
    filter: ["a", "strong", "b", "em", "i", "code", "span", "u", "s", "del"],
    replacement: (content) => content,
  })
  service.addRule("image", {
    filter: "img",
    replacement: (_content, node) =>
      (node as unknown as { getAttribute(name: string): string | null }).getAttribute("alt") ?? "",
  })
  service.addRule("rule", { filter: "hr", replacement: () => "\n\n" })
  return service
}

const parse = (html: string, url: string) => {
  const document = new DOMParser().parseFromString(html, "text/html")
  const base = document.createElement("base", {})
  base.setAttribute("href", url)
  document.head?.prepend(base)
  return document
}

const tidy = (text: string) => text.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim()

/** Throws only on a library bug; callers wrap it once. */
export const htmlToReadable = (html: string, url: string, mode: "markdown" | "text"): ReadablePage => {
  const service = mode === "markdown" ? markdownService() : textService()
  const render = (node: unknown) => tidy(service.turndown(node as TurndownInput))
  const document = parse(html, url)
  const title = document.title?.trim() || undefined
  const article = new Readability<unknown>(document as unknown as ReadabilityInput, { serializer: (node) => node })
    .parse()
  if (article?.content) return { title: article.title?.trim() || title, content: render(article.content) }
  const page = parse(html, url)
  return { title, content: page.body === null ? "" : render(page.body) }
}
