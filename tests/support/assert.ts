/**
 * The assertions the tests use, on top of node:assert (jsr's @std/assert is not reachable here).
 */
import nodeAssert from "node:assert/strict"

const withMessage = (check: () => void, message: string | undefined) => {
  try {
    check()
  } catch (error) {
    if (message !== undefined && error instanceof Error) error.message = `${message}\n${error.message}`
    throw error
  }
}

export function assert(condition: unknown, message?: string): asserts condition {
  withMessage(() => nodeAssert.ok(condition), message)
}

export const assertEquals = <T>(actual: T, expected: T, message?: string) =>
  withMessage(() => nodeAssert.deepStrictEqual(actual, expected), message)

export const assertNotEquals = <T>(actual: T, expected: T, message?: string) =>
  withMessage(() => nodeAssert.notDeepStrictEqual(actual, expected), message)

export const assertStringIncludes = (actual: string, expected: string, message?: string) =>
  withMessage(
    () =>
      nodeAssert.ok(
        actual.includes(expected),
        `expected ${JSON.stringify(actual)} to include ${JSON.stringify(expected)}`,
      ),
    message,
  )

export const assertMatch = (actual: string, pattern: RegExp, message?: string) =>
  withMessage(() => nodeAssert.match(actual, pattern), message)
