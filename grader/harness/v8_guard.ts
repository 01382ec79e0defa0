/**
 * `node:v8` reads the whole heap without any permission (`getHeapSnapshot`, `writeHeapSnapshot`,
 * `queryObjects`): the hidden tests' source, the harness's records and the session's nonce are
 * all in it. The harness disarms those functions on the one `node:v8` object that `require("v8")`
 * and `process.getBuiltinModule("v8")` hand out, before any code under test loads, and Deno's
 * import map sends `import ... from "node:v8"` to `node_v8.ts`, which re-exports that object.
 *
 * @module
 */

/** What code under test must not call: heap readers, V8 flags, coverage. */
export const REFUSED_V8 = [
  "getHeapSnapshot",
  "writeHeapSnapshot",
  "queryObjects",
  "setFlagsFromString",
  "setHeapSnapshotNearHeapLimit",
  "takeCoverage",
  "stopCoverage",
  "startupSnapshot",
] as const;

/**
 * Replaces the refused functions of the shared `node:v8` object with ones that throw, and
 * freezes it. Does nothing where the runtime has no `process.getBuiltinModule`.
 *
 * @returns The object, or undefined.
 */
export function guardV8(): Record<string, unknown> | undefined {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
    .process?.getBuiltinModule;
  const v8 = typeof get === "function"
    ? get.call((globalThis as { process?: unknown }).process, "v8") as Record<string, unknown>
    : undefined;
  if (!v8) return undefined;
  for (const name of REFUSED_V8) {
    const refuse = () => {
      throw new Error(`node:v8 ${name}() is not available to code under test`);
    };
    Object.defineProperty(v8, name, { value: refuse, writable: false, configurable: false });
  }
  Object.freeze(v8);
  return v8;
}
