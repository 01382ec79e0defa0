/**
 * Known-wrong implementations of an exercise: `solutions/NN_slug/mutants/NAME.patch`, each a
 * unified diff against the reference solution. The patch's first line says what is wrong
 * (`MUTANT: ...`); its file headers (`--- a/lock.ts`) name the stub files it changes. The `diff`
 * package parses and applies the patches (a kept library rather than a hand-written patcher).
 *
 * @module
 */

import { applyPatch, parsePatch } from "diff";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Exercise } from "./types.ts";

/** One mutant patch, applied. */
export interface Mutant {
  /** Mutant name: the patch file name without `.patch`, e.g. "releases_only_on_success". */
  name: string;
  /** Absolute path of the patch. */
  path: string;
  /** What is wrong (the MUTANT line), or "" when the header is missing. */
  description: string;
  /** Stub file -> its mutated text (only the files the patch changes). */
  files: Record<string, string>;
  /** Why the patch cannot be used (does not apply, names no stub, ...); absent when it applied. */
  problem?: string;
}

const HEADER = /^MUTANT:\s*(.*)$/;

/** Strips the `a/` or `b/` prefix git and the converter write before a file name. */
function fileOf(name: string | undefined): string {
  return (name ?? "").replace(/^[ab]\//, "").trim();
}

/**
 * Applies one mutant patch to the reference solution.
 *
 * @param patchText The patch file's text.
 * @param solutionDir The folder holding the reference solution's files.
 * @param stubs The exercise's stub files (a patch may change only these).
 * @returns The mutated files, or a problem naming what went wrong.
 *
 * @example
 * ```ts
 * import { applyMutant } from "./mutants.ts";
 * const { files, problem } = applyMutant(text, "solutions/08_lock", ["lock.ts"]);
 * ```
 */
export function applyMutant(
  patchText: string,
  solutionDir: string,
  stubs: string[],
): { description: string; files: Record<string, string>; problem?: string } {
  const head = HEADER.exec(patchText.split("\n", 1)[0] ?? "");
  const description = head ? head[1]!.trim() : "";
  const files: Record<string, string> = {};
  let patches;
  try {
    patches = parsePatch(patchText);
  } catch (e) {
    return { description, files, problem: `is not a unified diff: ${(e as Error).message}` };
  }
  const real = patches.filter((p) => p.hunks.length > 0);
  if (real.length === 0) return { description, files, problem: "changes nothing (no hunk)" };
  for (const p of real) {
    const file = fileOf(p.oldFileName);
    if (!stubs.includes(file)) {
      return {
        description,
        files,
        problem: `changes ${file || "(no file name)"}, which is not a stub (valid: ${
          stubs.join(", ")
        })`,
      };
    }
    const source = join(solutionDir, file);
    if (!existsSync(source)) {
      return { description, files, problem: `changes ${file}, but ${source} does not exist` };
    }
    const out = applyPatch(files[file] ?? readFileSync(source, "utf8"), p);
    if (out === false) {
      return {
        description,
        files,
        problem: `no longer applies to ${file} (the solution changed: re-create the patch)`,
      };
    }
    files[file] = out;
  }
  return { description, files };
}

/**
 * Lists and applies the mutants of an exercise.
 *
 * @param root Workbook root holding solutions/.
 * @param ex The exercise.
 * @returns Mutants sorted by name (empty when there are none); a mutant that cannot be applied
 *   carries a `problem`.
 */
export function listMutants(root: string, ex: Exercise): Mutant[] {
  const solutionDir = join(root, "solutions", ex.dir);
  const dir = join(solutionDir, "mutants");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".patch"))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      const r = applyMutant(readFileSync(path, "utf8"), solutionDir, ex.meta.stubs);
      return { name: f.replace(/\.patch$/, ""), path, ...r };
    });
}

/**
 * Names of files in a mutants folder that are not patches (old whole-file copies, stray files).
 *
 * @param root Workbook root.
 * @param dir Exercise folder name.
 * @returns File names.
 */
export function strayMutantFiles(root: string, dir: string): string[] {
  const d = join(root, "solutions", dir, "mutants");
  return existsSync(d) ? readdirSync(d).filter((f) => !f.endsWith(".patch")).sort() : [];
}

/**
 * Names of an exercise's alternative correct implementations: the folders of
 * `solutions/NN_slug/alternatives/`, each holding stub files written in another correct style.
 *
 * @param root Workbook root.
 * @param dir Exercise folder name.
 * @returns Folder names, sorted.
 */
export function listAlternatives(root: string, dir: string): string[] {
  const d = join(root, "solutions", dir, "alternatives");
  return existsSync(d)
    ? readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)
      .sort()
    : [];
}
