/**
 * How to start the grader's own CLI in a child process, on whichever runtime is available.
 *
 * @module
 */

import { join } from "node:path";
import { currentRuntime, findBinary, MissingRuntimeError } from "../engine/runtimes.ts";

/**
 * The command that runs `grader/main.ts` of a workbook.
 *
 * @param toolRoot Workbook holding the grader and node_modules.
 * @returns The executable and the arguments that come before the grader's own.
 * @throws {MissingRuntimeError} When neither Deno nor Bun can be found.
 *
 * @example
 * ```ts
 * const [cmd, pre] = graderCommand(".");
 * spawnSync(cmd, [...pre, "list"]);
 * ```
 */
export function graderCommand(toolRoot: string): [string, string[]] {
  const main = join(toolRoot, "grader", "main.ts");
  const own = currentRuntime();
  if (own === "deno") return [process.execPath, ["run", "--allow-all", main]];
  if (own === "bun") return [process.execPath, [main]];
  const deno = findBinary("deno", toolRoot);
  if (deno) return [deno, ["run", "--allow-all", main]];
  const bun = findBinary("bun", toolRoot);
  if (bun) return [bun, [main]];
  throw new MissingRuntimeError("deno");
}
