/** The claw release version, printed by `claw --version`. */
export const VERSION = "0.1.0"
