import {
  describeMissingPermission,
  findMissingPermission,
} from "../../../src/security/permissions/missingPermission.ts"
import { assertEquals } from "../../support/assert.ts"

Deno.test("missingPermission reads Deno's NotCapable message, also through a cause chain", async () => {
  const error = await Deno.readTextFile("/definitely/not/granted").catch((e) => e)
  const denied = new Deno.errors.NotCapable(
    'Requires net access to "api.example.com:443", run again with the --allow-net flag',
  )
  const wrapped = new Error("Transport error", { cause: denied })
  assertEquals(findMissingPermission(wrapped), { kind: "net", target: "api.example.com:443", flag: "--allow-net" })
  assertEquals(findMissingPermission(error), undefined)
  assertEquals(
    findMissingPermission(new Deno.errors.NotCapable("Requires env access, run again with the --allow-env flag")),
    { kind: "env", target: undefined, flag: "--allow-env" },
  )
  assertEquals(
    describeMissingPermission({ kind: "net", target: "api.example.com:443", flag: "--allow-net" }),
    'claw is missing net access to "api.example.com:443": grant it with --allow-net=api.example.com:443 ' +
      "(claw permissions prints every flag this config needs; deno task start applies them)",
  )
})
