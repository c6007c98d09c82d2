/**
 * Flags shared by every command: `--config PATH` and `--log-format pretty|json` (plus Effect's built-in
 * `--log-level`, `--help` and `--version`).
 */
import * as Flag from "effect/cli/Flag"
import * as GlobalFlag from "effect/cli/GlobalFlag"

export const ConfigFlag = GlobalFlag.Setting("config")({
  flag: Flag.String("config").pipe(
    Flag.withAlias("c"),
    Flag.withMetavar("PATH"),
    Flag.withDescription("Config file (default: $CLAW_HOME/config.json, CLAW_HOME defaults to ~/.claw)"),
    Flag.optional,
  ),
})

export const LogFormatFlag = GlobalFlag.Setting("log-format")({
  flag: Flag.Literals("log-format", ["pretty", "json"]).pipe(
    Flag.withDescription("Log output: readable lines (pretty) or one JSON object per line (json)"),
    Flag.withDefault("pretty" as const),
  ),
})
