/**
 * Log output for every command: one readable line per entry by default, one JSON object per line with
 * `--log-format json`. Logs go to stderr so stdout stays the command's answer. Every line passes through the
 * redactor, which replaces known secret values (keys and tokens from the config and the environment) and
 * anything shaped like a common API key.
 */
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as References from "effect/References"
import type * as LogLevel from "effect/LogLevel"

export type LogFormat = "pretty" | "json"

const KEY_SHAPES = [
  /\bsk-[A-Za-z0-9_-]{12,}/g,
  /\bxox[abpr]-[A-Za-z0-9-]{10,}/g,
  /\bxapp-[A-Za-z0-9-]{10,}/g,
  /\bclaw_[A-Za-z0-9]{6,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{12,}/g,
]

export const makeRedactor = (secrets: ReadonlyArray<string>) => {
  const values = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length)
  return (text: string) => {
    let out = text
    for (const secret of values) out = out.split(secret).join("[redacted]")
    for (const shape of KEY_SHAPES) out = out.replace(shape, "[redacted]")
    return out
  }
}

const stringify = (value: unknown) => typeof value === "string" ? value : JSON.stringify(value)

export const makeLogger = (format: LogFormat, redact: (text: string) => string) =>
  Logger.withConsoleError(Logger.map(Logger.formatStructured, (entry) => {
    if (format === "json") {
      return redact(JSON.stringify({
        timestamp: entry.timestamp,
        level: entry.level,
        message: entry.message,
        ...entry.annotations,
        ...(entry.cause !== undefined ? { cause: entry.cause } : {}),
      }))
    }
    const annotations = Object.entries(entry.annotations).map(([k, v]) => `${k}=${stringify(v)}`).join(" ")
    const message = Array.isArray(entry.message) ? entry.message.map(stringify).join(" ") : stringify(entry.message)
    const time = entry.timestamp.slice(0, 19).replace("T", " ")
    const line = `${time} ${entry.level.padEnd(5)} ${message}${annotations === "" ? "" : ` ${annotations}`}`
    return redact(entry.cause === undefined ? line : `${line}\n${entry.cause}`)
  }))

export const loggingLayer = (options: {
  readonly format: LogFormat
  readonly level: LogLevel.LogLevel
  readonly secrets: ReadonlyArray<string>
}) =>
  Layer.mergeAll(
    Logger.layer([makeLogger(options.format, makeRedactor(options.secrets))]),
    Layer.succeed(References.MinimumLogLevel, options.level),
  )
