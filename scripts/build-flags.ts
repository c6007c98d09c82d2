/**
 * The one place the release build is described: targets, the files embedded next to the code, and the permission
 * flags baked into the binary. `scripts/compile.ts` builds with them and `tests/release/` runs `main.ts` under the
 * very same runtime flags, so what the binary is allowed to do is what the tests exercised.
 *
 * The baked profile is `claw permissions`'s default profile with what cannot be known at build time left open:
 * file paths (CLAW_HOME and the workspace are chosen at run time), every variable (CLAW_…__… overrides are found by
 * listing the environment) and every program (tools.exec.allowedCommands is enforced by claw itself, with bwrap or
 * unshare when present). Network: everything but link-local addresses (cloud metadata). No FFI, sys only `uid`.
 * The tool sandbox narrows the file and web tools at run time either way.
 */

export const ENTRY = "main.ts"

export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const
export type Target = (typeof TARGETS)[number]

/** Files read at run time, embedded in the binary: bundled skills, workspace templates, the tool worker. */
export const INCLUDES = ["skills", "src/agent/templates", "src/agent/tools/internal/toolWorker.ts"] as const

/** Runtime flags baked into the binary (and used by the release test's `deno run`). */
export const RUNTIME_FLAGS = [
  "--no-prompt",
  "--unstable-worker-options",
  "--allow-read",
  "--allow-write",
  "--allow-net",
  "--deny-net=169.254.0.0/16",
  "--allow-env",
  "--allow-run",
  "--allow-sys=uid",
] as const

export const outputPath = (target: Target) => `dist/claw-${target}${target.includes("windows") ? ".exe" : ""}`

export const compileArgs = (target: Target): ReadonlyArray<string> => [
  "compile",
  ...RUNTIME_FLAGS,
  ...INCLUDES.flatMap((path) => ["--include", path]),
  "--target",
  target,
  "--output",
  outputPath(target),
  ENTRY,
]
