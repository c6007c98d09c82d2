/**
 * Splits a long answer into messages of at most `limit` characters for platforms with a size cap. Cuts fall on
 * paragraph boundaries, never inside a fenced code block; a paragraph that alone is too long is cut at line
 * breaks (then anywhere), and a code block that alone is too long is split into several complete blocks, each
 * re-opened with the same fence and language.
 */

interface Block {
  readonly text: string
  /** The opening fence line (```ts) when the block is a fenced code block. */
  readonly fence?: string
}

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/

const toBlocks = (text: string): ReadonlyArray<Block> => {
  const blocks: Array<Block> = []
  const lines = text.split("\n")
  let paragraph: Array<string> = []
  const flush = () => {
    const joined = paragraph.join("\n")
    if (joined.trim() !== "") blocks.push({ text: joined })
    paragraph = []
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const open = FENCE.exec(line)
    if (open !== null) {
      flush()
      const marker = open[2]!
      const body = [line]
      let j = i + 1
      while (j < lines.length && !lines[j]!.trim().startsWith(marker)) body.push(lines[j++]!)
      if (j < lines.length) body.push(lines[j]!)
      blocks.push({ text: body.join("\n"), fence: line.trim() })
      i = j
      continue
    }
    if (line.trim() === "") flush()
    else paragraph.push(line)
  }
  flush()
  return blocks
}

const hardSplit = (text: string, limit: number): Array<string> => {
  const out: Array<string> = []
  for (let i = 0; i < text.length; i += limit) out.push(text.slice(i, i + limit))
  return out
}

const splitLines = (text: string, limit: number): Array<string> => {
  const out: Array<string> = []
  let current = ""
  for (const line of text.split("\n")) {
    const candidate = current === "" ? line : `${current}\n${line}`
    if (candidate.length <= limit) {
      current = candidate
      continue
    }
    if (current !== "") out.push(current)
    if (line.length <= limit) current = line
    else {
      const pieces = hardSplit(line, limit)
      current = pieces.pop() ?? ""
      out.push(...pieces)
    }
  }
  if (current !== "") out.push(current)
  return out
}

const splitCodeBlock = (block: Block & { readonly fence: string }, limit: number): Array<string> => {
  const marker = FENCE.exec(block.fence)?.[2] ?? "```"
  const lines = block.text.split("\n")
  const closed = lines.length > 1 && lines[lines.length - 1]!.trim().startsWith(marker)
  const body = lines.slice(1, closed ? -1 : undefined).join("\n")
  const room = Math.max(1, limit - block.fence.length - marker.length - 2)
  return splitLines(body, room).map((piece) => `${block.fence}\n${piece}\n${marker}`)
}

export const chunkText = (text: string, limit = 4000): ReadonlyArray<string> => {
  if (text.length <= limit) return [text]
  const pieces = toBlocks(text).flatMap((block) =>
    block.text.length <= limit
      ? [block.text]
      : block.fence !== undefined
      ? splitCodeBlock({ ...block, fence: block.fence }, limit)
      : splitLines(block.text, limit)
  )
  const chunks: Array<string> = []
  let current = ""
  for (const piece of pieces) {
    const candidate = current === "" ? piece : `${current}\n\n${piece}`
    if (candidate.length <= limit) current = candidate
    else {
      if (current !== "") chunks.push(current)
      current = piece
    }
  }
  if (current !== "") chunks.push(current)
  return chunks
}
