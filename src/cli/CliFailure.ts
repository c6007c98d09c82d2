/**
 * A command failure that has already been explained to the user: the process exits non-zero without a stack
 * trace.
 */
import * as Schema from "effect/Schema"

export class CliFailure extends Schema.TaggedError<CliFailure>()("CliFailure", {
  message: Schema.String,
}) {}
