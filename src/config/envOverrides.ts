/**
 * Config values from the environment, nanobot style: `CLAW_<SECTION>__<KEY>…` with `__` between levels, e.g.
 * `CLAW_CHANNELS__WEBSOCKET__PORT=0` or `CLAW_AGENTS__DEFAULTS__MODEL=openai/gpt-4o`. Values are read as JSON when
 * they parse (numbers, booleans, arrays), as text otherwise. They override the file.
 */

export const ENV_PREFIX = "CLAW_"

const parseValue = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** The nested object the `CLAW_…__…` variables describe (other variables are ignored). */
export const envOverrides = (vars: Readonly<Record<string, string>>): Record<string, unknown> => {
  const root: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(vars)) {
    if (!name.startsWith(ENV_PREFIX) || !name.includes("__")) continue
    const path = name.slice(ENV_PREFIX.length).split("__").map((part) => part.toLowerCase())
    if (path.some((part) => part === "")) continue
    let node = root
    for (const part of path.slice(0, -1)) {
      const next = node[part]
      node = (node[part] = typeof next === "object" && next !== null ? next : {}) as Record<string, unknown>
    }
    node[path[path.length - 1]!] = parseValue(value)
  }
  return root
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** `base` with `override` laid over it, objects merged key by key. */
export const mergeDeep = (base: unknown, override: Record<string, unknown>): unknown => {
  if (!isPlainObject(base)) return override
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(override)) {
    const existing = Object.keys(base).find((k) => k.replace(/[-_]/g, "").toLowerCase() === key.replace(/[-_]/g, ""))
    const target = existing ?? key
    out[target] = isPlainObject(value) && isPlainObject(out[target]) ? mergeDeep(out[target], value) : value
  }
  return out
}
