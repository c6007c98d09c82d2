/**
 * Calendar dates and times in an IANA time zone, for prompts, history stamps and per-day accounting. Formatters
 * are built once per zone (building an `Intl.DateTimeFormat` costs far more than using one); an unknown zone falls
 * back to UTC.
 */

type Kind = "day" | "stamp" | "weekday"

const OPTIONS: Record<Kind, Intl.DateTimeFormatOptions> = {
  day: { year: "numeric", month: "2-digit", day: "2-digit" },
  stamp: { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  weekday: { weekday: "long" },
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** The zone itself when Intl knows it, otherwise "UTC". */
export const knownZone = (timeZone: string) => {
  try {
    formatterFor("day", timeZone)
    return timeZone
  } catch {
    return "UTC"
  }
}

const formatterFor = (kind: Kind, timeZone: string) => {
  const key = `${kind}\u0000${timeZone}`
  let formatter = formatters.get(key)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(kind === "weekday" ? "en-US" : "en-CA", { ...OPTIONS[kind], timeZone })
    formatters.set(key, formatter)
  }
  return formatter
}

const format = (kind: Kind, millis: number, timeZone: string) =>
  formatterFor(kind, knownZone(timeZone)).format(new Date(millis))

/** `YYYY-MM-DD`. */
export const calendarDay = (millis: number, timeZone: string) => format("day", millis, timeZone)

/** `YYYY-MM-DD HH:MM`. */
export const formatStamp = (millis: number, timeZone: string) => format("stamp", millis, timeZone).replace(",", "")

/** `YYYY-MM-DD HH:MM (Sunday, Europe/Berlin)`. */
export const formatNow = (millis: number, timeZone: string) =>
  `${formatStamp(millis, timeZone)} (${format("weekday", millis, timeZone)}, ${knownZone(timeZone)})`
