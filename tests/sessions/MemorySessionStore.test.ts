/**
 * Runs the `SessionStore` contract against the in-memory adapter.
 */
import { MemorySessionStore } from "../../src/sessions/MemorySessionStore.ts"
import { sessionStoreContract } from "./SessionStore.contract.ts"

sessionStoreContract("MemorySessionStore", () => MemorySessionStore.layer)
