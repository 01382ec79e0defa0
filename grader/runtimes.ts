/**
 * Where the runtimes' binaries are and which runtime the grader itself runs on.
 *
 * @module
 */

import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { Runtime } from "./types.ts";

/**
 * The runtime executing this code.
 *
 * @returns "deno" under Deno, "bun" under Bun, null under anything else (Node).
 */
export function currentRuntime(): Runtime | null {
  if (typeof (globalThis as { Deno?: unknown }).Deno !== "undefined") return "deno";
  if (typeof (globalThis as { Bun?: unknown }).Bun !== "undefined") return "bun";
  return null;
}

/**
 * Finds a runtime's binary: the workbook's `node_modules/.bin/<name>` first, then PATH.
 *
 * @param runtime Runtime to find.
 * @param root Workbook root whose node_modules to look in.
 * @returns Absolute path of the binary, or null when it is not installed.
 */
export function findBinary(runtime: Runtime, root: string): string | null {
  const local = join(root, "node_modules", ".bin", runtime);
  if (existsSync(local)) return local;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, runtime))) return join(dir, runtime);
  }
  return null;
}

/** Raised when a runtime the user asked for is not installed. */
export class MissingRuntimeError extends Error {
  /** @param runtime The runtime that is missing. */
  constructor(runtime: Runtime) {
    super(
      `Cannot grade under ${runtime}: no "${runtime}" binary in node_modules/.bin or on PATH ` +
        `(run "npm ci", or install ${runtime}, or choose another --runtime)`,
    );
    this.name = "MissingRuntimeError";
  }
}
