/**
 * How `exec` confines a command when `bwrap` (bubblewrap) or `unshare` (util-linux) is available: a private mount
 * namespace in which CLAW_HOME (config.json, the database) and the config file are hidden, the workspace stays
 * writable at its own path, and `/proc` shows only the command's own processes (so it cannot read the gateway's
 * environment). With `tools.restrictToWorkspace` the command also loses the network and sees no home directories,
 * no `/tmp` of the host and no `/etc/passwd`. Without either program, commands run as the user, unconfined.
 */

export type ExecWrapper = "bwrap" | "unshare"

export interface ConfinementPlan {
  /** The workspace's real path: stays visible and writable. */
  readonly workspace: string
  readonly restricted: boolean
  /** Directories replaced by an empty tmpfs (CLAW_HOME, and with restrictions the home directories). */
  readonly hideDirs: ReadonlyArray<string>
  /** Files replaced by /dev/null (a config file outside CLAW_HOME, /etc/passwd…). */
  readonly hideFiles: ReadonlyArray<string>
}

export interface WrappedCommand {
  readonly program: string
  readonly args: ReadonlyArray<string>
}

/** Places a restricted command never sees, besides CLAW_HOME and the config file. */
export const RESTRICTED_HIDDEN_DIRS = ["/home", "/root", "/tmp", "/var/tmp", "/media", "/srv", "/run/user"]
export const RESTRICTED_HIDDEN_FILES = ["/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow"]

const SYSTEM_DIRS = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/etc/alternatives", "/etc/ssl"]
const SYSTEM_FILES = ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/nsswitch.conf"]

const bwrapArgs = (plan: ConfinementPlan, cwd: string): Array<string> => {
  const base = ["--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts"]
  if (plan.restricted) {
    return [
      ...base,
      "--unshare-net",
      ...SYSTEM_DIRS.flatMap((dir) => ["--ro-bind-try", dir, dir]),
      ...SYSTEM_FILES.flatMap((file) => ["--ro-bind-try", file, file]),
      "--proc",
      "/proc",
      "--dev",
      "/dev",
      "--tmpfs",
      "/tmp",
      "--bind",
      plan.workspace,
      plan.workspace,
      "--chdir",
      cwd,
    ]
  }
  return [
    ...base,
    "--dev-bind",
    "/",
    "/",
    "--proc",
    "/proc",
    ...plan.hideDirs.flatMap((dir) => ["--tmpfs", dir]),
    ...plan.hideFiles.flatMap((file) => ["--ro-bind-try", "/dev/null", file]),
    "--bind",
    plan.workspace,
    plan.workspace,
    "--chdir",
    cwd,
  ]
}

/**
 * Runs inside the new namespaces: keeps a handle on the workspace (bound under a fresh tmpfs on /mnt), hides the
 * listed directories and files, puts the workspace back at its own path, then runs the command.
 */
const UNSHARE_SCRIPT = [
  "set -e",
  "ws=$1; cwd=$2; dirs=$3; files=$4; shift 4",
  "mount -t tmpfs -o mode=755 claw /mnt",
  "mkdir /mnt/workspace",
  'mount --rbind "$ws" /mnt/workspace',
  "IFS='\n'",
  'for d in $dirs; do if [ -d "$d" ]; then mount -t tmpfs -o mode=755 claw "$d"; fi; done',
  'for f in $files; do if [ -e "$f" ]; then mount --bind /dev/null "$f"; fi; done',
  'mkdir -p "$ws"',
  'mount --rbind /mnt/workspace "$ws"',
  'cd "$cwd"',
  'exec "$@"',
].join("\n")

const unshareArgs = (plan: ConfinementPlan, cwd: string): Array<string> => [
  "--user",
  "--map-root-user",
  "--mount",
  "--pid",
  "--fork",
  "--kill-child",
  "--mount-proc",
  ...(plan.restricted ? ["--net"] : []),
  "sh",
  "-c",
  UNSHARE_SCRIPT,
  "claw-exec",
  plan.workspace,
  cwd,
  plan.hideDirs.join("\n"),
  plan.hideFiles.join("\n"),
]

/** The command line that runs `program args` in `cwd` under `wrapper` (its path) with `plan`. */
export const wrapCommand = (
  wrapper: { readonly kind: ExecWrapper; readonly path: string },
  plan: ConfinementPlan,
  cwd: string,
  program: string,
  args: ReadonlyArray<string>,
): WrappedCommand => ({
  program: wrapper.path,
  args: [...(wrapper.kind === "bwrap" ? [...bwrapArgs(plan, cwd), "--"] : unshareArgs(plan, cwd)), program, ...args],
})

/** One sentence for `claw status`. */
export const describeConfinement = (kind: ExecWrapper | undefined, restricted: boolean) =>
  kind === undefined
    ? "none: commands run as your user and can read what you can (install bubblewrap, or allow unshare, to confine them)"
    : restricted
    ? `${kind}: no network, only the workspace and system directories are visible, CLAW_HOME and homes are hidden`
    : `${kind}: CLAW_HOME and the config file are hidden, the workspace is writable, network allowed`
