/**
 * Reads the tasks out of `HEARTBEAT.md`: the Markdown list items under a `## Tasks` heading (and its
 * sub-headings), up to the next heading of level 1 or 2. HTML comments and fenced code blocks do not count (the
 * template's example sits in a comment), nor do ticked checkboxes (`- [x] done`). No tasks means the heartbeat
 * makes no model call at all.
 */

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/
const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/
const FENCE = /^\s*(```|~~~)/
const CHECKBOX = /^\[([ xX])\]\s*/

/** The tasks listed in `markdown`, in order, each trimmed; empty when there are none. */
export const heartbeatTasks = (markdown: string): ReadonlyArray<string> => {
  const text = markdown.replace(/<!--[\s\S]*?(?:-->|$)/g, "")
  const tasks: Array<string> = []
  let inTasks = false
  let inFence = false
  for (const line of text.split(/\r?\n/)) {
    if (FENCE.test(line)) {
      inFence = !inFence
      continue
    }
    if (inFence) continue
    const heading = HEADING.exec(line)
    if (heading !== null) {
      const level = heading[1]!.length
      if (level <= 2) inTasks = level === 2 && heading[2]!.trim().toLowerCase() === "tasks"
      continue
    }
    if (!inTasks) continue
    const item = LIST_ITEM.exec(line)
    if (item === null) continue
    const checkbox = CHECKBOX.exec(item[1]!)
    if (checkbox !== null && checkbox[1] !== " ") continue
    const task = item[1]!.replace(CHECKBOX, "").trim()
    if (task !== "") tasks.push(task)
  }
  return tasks
}

/** The message the agent gets for one heartbeat. */
export const heartbeatPrompt = (tasks: ReadonlyArray<string>, intervalS: number) =>
  [
    `[Heartbeat] This is your periodic check (every ${formatInterval(intervalS)}), not a message from the user.`,
    "Work through these tasks from HEARTBEAT.md and reply with what the user should know, briefly:",
    ...tasks.map((task) => `- ${task}`),
  ].join("\n")

const formatInterval = (seconds: number) =>
  seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`
