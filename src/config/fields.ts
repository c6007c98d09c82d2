/**
 * Small building blocks for the config Schema: every field has a default, secrets decode to `Redacted`, and the
 * defaults are also written into the generated JSON Schema so editors can show them.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

/** A field that falls back to `value` when the key is absent; default and description reach the JSON Schema. */
export const withDefault = <S extends Schema.Top>(
  schema: S,
  value: S["Encoded"],
  description?: string,
): Schema.withDecodingDefaultKey<S> =>
  Schema.withDecodingDefaultKey<S>(Effect.succeed(value))(
    schema.annotate(description === undefined ? { default: value } : { default: value, description }) as S,
  )

/** An optional field without a default (absent stays absent). */
export const optional = <S extends Schema.Top>(schema: S, description?: string): Schema.optionalKey<S> =>
  Schema.optionalKey(description === undefined ? schema : schema.annotate({ description }) as S)

/** A secret: decoded from a plain string into `Redacted` so it never prints. */
export const Secret = Schema.RedactedFromValue(Schema.String)

export const Port = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 65535 })))
export const PositiveInt = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1)))
export const NonNegativeInt = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))
export const NonNegativeNumber = Schema.Finite.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))
export const StringList = Schema.Array(Schema.String)
export const StringMap = Schema.Record(Schema.String, Schema.String)
