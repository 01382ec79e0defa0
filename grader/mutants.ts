/**
 * Known-wrong implementations of an exercise: `solutions/NN_slug/mutants/*.ts`, each a whole
 * replacement of a stub file. The first line says what is wrong (`// MUTANT: ...`); an optional
 * second line names the stub it replaces (`// REPLACES: worker.ts`, default: the first stub).
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Exercise } from "./types.ts";

/** One mutant file. */
export interface Mutant {
  /** File name, e.g. "releases_only_on_success.ts". */
  name: string;
  /** Absolute path. */
  path: string;
  /** What is wrong (the MUTANT line), or "" when the header is missing. */
  description: string;
  /** Stub file it replaces. */
  replaces: string;
  /** True when the first line is a `// MUTANT:` comment. */
  hasHeader: boolean;
}

/**
 * Lists the mutants of an exercise.
 *
 * @param root Workbook root holding solutions/.
 * @param ex The exercise.
 * @returns Mutants sorted by file name (empty when there are none).
 */
export function listMutants(root: string, ex: Exercise): Mutant[] {
  const dir = join(root, "solutions", ex.dir, "mutants");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      const lines = readFileSync(path, "utf8").split("\n");
      const head = /^\/\/\s*MUTANT:\s*(.*)$/.exec(lines[0] ?? "");
      const rep = /^\/\/\s*REPLACES:\s*(\S+)/.exec(lines[1] ?? "");
      return {
        name,
        path,
        description: head ? head[1]!.trim() : "",
        replaces: rep ? rep[1]! : ex.meta.stubs[0]!,
        hasHeader: head !== null,
      };
    });
}
