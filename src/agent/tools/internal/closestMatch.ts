/**
 * Finds the region of a file that most resembles a snippet the model expected to find, so edit_file can show what
 * is really there. Slides a window of the snippet's line count over the file and scores each window by the
 * Sørensen–Dice coefficient of character bigrams per line (whitespace-normalised), weighted by line length.
 */

export interface ClosestMatch {
  /** 1-based, inclusive. */
  readonly startLine: number
  readonly endLine: number
  /** 0..1 */
  readonly similarity: number
  readonly lines: ReadonlyArray<string>
  /** 0-based index within the window of the first line that differs from the snippet, if any. */
  readonly firstDifference: number | undefined
  /** The window equals the snippet once whitespace is normalised. */
  readonly whitespaceOnly: boolean
}

/** Above this many line comparisons, only windows anchored on an identical line are scored. */
const MAX_COMPARISONS = 1_000_000

const normalize = (line: string) => line.trim().replace(/\s+/g, " ")

const bigrams = (text: string): Map<string, number> => {
  const counts = new Map<string, number>()
  for (let i = 0; i < text.length - 1; i++) {
    const gram = text.slice(i, i + 2)
    counts.set(gram, (counts.get(gram) ?? 0) + 1)
  }
  return counts
}

interface Line {
  readonly text: string
  readonly grams: Map<string, number>
  readonly size: number
}

const toLine = (raw: string): Line => {
  const text = normalize(raw)
  return { text, grams: bigrams(text), size: Math.max(text.length - 1, 0) }
}

const dice = (a: Line, b: Line): number => {
  if (a.text === b.text) return 1
  if (a.size === 0 || b.size === 0) return 0
  let shared = 0
  const [small, large] = a.grams.size <= b.grams.size ? [a.grams, b.grams] : [b.grams, a.grams]
  for (const [gram, count] of small) shared += Math.min(count, large.get(gram) ?? 0)
  return (2 * shared) / (a.size + b.size)
}

const splitLines = (text: string) => {
  const lines = text.split(/\r?\n/)
  return lines.length > 1 && lines[lines.length - 1] === "" ? lines.slice(0, -1) : lines
}

export const findClosestMatch = (content: string, snippet: string): ClosestMatch | undefined => {
  const rawFile = content.split(/\r?\n/)
  const rawWanted = splitLines(snippet)
  const wanted = rawWanted.map(toLine)
  const file = rawFile.map(toLine)
  const width = Math.min(wanted.length, file.length)
  if (width === 0) return undefined
  const windows = file.length - width + 1
  let starts: Iterable<number> = Array.from({ length: windows }, (_, i) => i)
  if (windows * width > MAX_COMPARISONS) {
    const anchored = new Set<number>()
    const byText = new Map(wanted.map((line, i) => [line.text, i]))
    file.forEach((line, index) => {
      const offset = byText.get(line.text)
      if (offset !== undefined && line.text !== "" && index - offset >= 0 && index - offset < windows) {
        anchored.add(index - offset)
      }
    })
    starts = anchored
  }
  let best: { start: number; score: number } | undefined
  for (const start of starts) {
    let weighted = 0
    let total = 0
    for (let i = 0; i < width; i++) {
      const a = wanted[i]!
      const b = file[start + i]!
      const weight = Math.max(a.text.length, b.text.length, 1)
      weighted += weight * dice(a, b)
      total += weight
    }
    const score = weighted / total
    if (best === undefined || score > best.score) best = { start, score }
  }
  if (best === undefined) return undefined
  const lines = rawFile.slice(best.start, best.start + width)
  const difference = lines.findIndex((line, i) => line !== rawWanted[i])
  return {
    startLine: best.start + 1,
    endLine: best.start + width,
    similarity: best.score,
    lines,
    firstDifference: difference === -1 ? undefined : difference,
    whitespaceOnly: file.slice(best.start, best.start + width).every((line, i) => line.text === wanted[i]!.text),
  }
}
