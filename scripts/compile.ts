/**
 * `deno task compile [--target T …]`: builds `dist/claw-<target>` for every target of `build-flags.ts` (or the
 * ones named) and writes `dist/SHA256SUMS`. `deno compile` downloads a runtime (denort) per target from
 * dl.deno.land; when it cannot, this says so in one line and exits 1 (set DENORT_BIN to use a local runtime for
 * the host target).
 */
import { compileArgs, outputPath, type Target, TARGETS } from "./build-flags.ts"

const ROOT = new URL("../", import.meta.url)

const wanted = (args: ReadonlyArray<string>): ReadonlyArray<Target> => {
  const named = args.flatMap((arg, i) => (arg === "--target" ? [args[i + 1] ?? ""] : []))
  const unknown = named.filter((name) => !TARGETS.includes(name as Target))
  if (unknown.length > 0) {
    console.error(`Unknown target ${unknown.join(", ")}; choose from ${TARGETS.join(", ")}`)
    Deno.exit(2)
  }
  return named.length === 0 ? TARGETS : (named as ReadonlyArray<Target>)
}

/** One line for a failed download of the runtime, or `undefined` for any other failure. */
export const downloadFailure = (stderr: string, target: Target) => {
  if (!/dl\.deno\.land|denort/.test(stderr) || !/error sending request|dns error|Connect|timed out|404/i.test(stderr)) {
    return undefined
  }
  const causes = stderr.split("Stack backtrace")[0] ?? ""
  const reason = causes.split("\n").map((line) => line.trim()).filter((line) => /^\d+: /.test(line)).at(-1)
  return `deno compile could not download its runtime for ${target} from dl.deno.land` +
    `${reason === undefined ? "" : ` (${reason.replace(/^\d+: /, "")})`}; build where dl.deno.land is reachable, ` +
    "or set DENORT_BIN to a local denort binary"
}

const sha256 = async (path: string) => {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await Deno.readFile(new URL(path, ROOT))))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("")
}

if (import.meta.main) {
  const sums: Array<string> = []
  for (const target of wanted(Deno.args)) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [...compileArgs(target)],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "inherit",
      stderr: "piped",
    }).output()
    const stderr = new TextDecoder().decode(output.stderr)
    if (output.code !== 0) {
      console.error(downloadFailure(stderr, target) ?? stderr.trimEnd())
      Deno.exit(1)
    }
    const file = outputPath(target)
    sums.push(`${await sha256(file)}  ${file.replace(/^dist\//, "")}`)
    console.log(`Built ${file}`)
  }
  await Deno.writeTextFile(new URL("dist/SHA256SUMS", ROOT), `${sums.join("\n")}\n`)
  console.log("Wrote dist/SHA256SUMS")
}
