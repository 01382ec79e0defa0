/**
 * `grade export --gradescope FILE.zip`: a Gradescope autograder bundle. The zip holds, at its
 * root, Gradescope's `setup.sh` and `run_autograder` (from grader/templates/gradescope/) and the
 * workbook they grade with: lib/, the grader, the configs with package-lock.json, and every
 * exercise with its hidden tests. It leaves out solutions/ and mutants (the autograder never
 * needs them) and the grader's own tests and fixtures.
 *
 * @module
 */

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Zippable, zipSync } from "fflate";
import { discoverExercises } from "../engine/discover.ts";
import { listFiles } from "./copy.ts";
import { studentKeeps } from "./export_student.ts";

/** Unix mode bits stored in the zip: executable scripts and plain files. */
const EXEC = 0o100755;
const PLAIN = 0o100644;

/**
 * Whether a workbook path belongs in the autograder bundle: what a student copy keeps, plus the
 * hidden tests.
 *
 * @param rel `/`-separated path relative to the workbook root (folders end with "/").
 * @returns true to include it.
 */
export function gradescopeKeeps(rel: string): boolean {
  if (rel.startsWith("exercises/") && rel.endsWith(".hidden.ts")) return true;
  return studentKeeps(rel);
}

/** What {@linkcode exportGradescope} wrote. */
export interface GradescopeExport {
  /** Paths inside the zip. */
  entries: string[];
  /** Zip size in bytes. */
  bytes: number;
}

/**
 * Writes the autograder zip.
 *
 * @param root The full workbook.
 * @param zipFile Output path.
 * @returns The entries and the size.
 * @throws {Error} When the workbook has no exercises or the templates are missing.
 *
 * @example
 * ```ts
 * exportGradescope(".", "autograder.zip").entries.includes("run_autograder"); // true
 * ```
 */
export function exportGradescope(root: string, zipFile: string): GradescopeExport {
  if (discoverExercises(root).length === 0) {
    throw new Error(`Cannot export "${root}": it has no exercises`);
  }
  const files: Zippable = {};
  const entries: string[] = [];
  const add = (name: string, data: Uint8Array, mode: number) => {
    files[name] = [data, { attrs: (mode << 16) >>> 0, os: 3 }];
    entries.push(name);
  };
  const tpl = join(root, "grader", "templates", "gradescope");
  for (const script of ["setup.sh", "run_autograder"]) {
    let data: Uint8Array;
    try {
      data = readFileSync(join(tpl, script));
    } catch (e) {
      throw new Error(
        `Cannot build the Gradescope bundle: ${join(tpl, script)} is missing (${
          (e as Error).message
        })`,
      );
    }
    add(script, data, EXEC);
  }
  for (const rel of listFiles(root, gradescopeKeeps)) {
    add(rel, readFileSync(join(root, rel)), PLAIN);
  }
  const zip = zipSync(files, { level: 6, mtime: new Date("2020-01-01T00:00:00Z") });
  writeFileSync(zipFile, zip);
  return { entries, bytes: zip.length };
}
