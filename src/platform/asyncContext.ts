/**
 * Imported first by main.ts, before Effect loads. Effect propagates Node's async context (AsyncLocalStorage) across
 * fiber suspensions by capturing an `AsyncResource` each time a fiber suspends, when
 * `process.getBuiltinModule("node:async_hooks")` exists. Under Deno's Node compatibility each new resource keeps
 * the one it was created in alive, so a long-running gateway grows by a few hundred bytes per agent turn, forever
 * (measured: ~8 resources a turn, all retained). claw uses no AsyncLocalStorage, so the gateway hides
 * `node:async_hooks` from that feature check; everything else `getBuiltinModule` returns is unchanged.
 */
import process from "node:process"

const original = process.getBuiltinModule?.bind(process)
if (original !== undefined) {
  process.getBuiltinModule = ((id: string) =>
    id === "node:async_hooks" || id === "async_hooks" ? undefined : original(id)) as typeof process.getBuiltinModule
}
