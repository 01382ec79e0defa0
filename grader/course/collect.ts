/**
 * Turns whatever a student handed in into a workbook the grader can read: a copy of the pristine
 * exercises with the student's stub files laid over them. A submission may be a whole workbook
 * (`exercises/NN_slug/<stub>`), exercise folders (`NN_slug/<stub>`), or loose stub files
 * (`<stub>`, matched by name when the name belongs to one exercise only). Only stub files are
 * taken; tests always come from the pristine workbook. Symbolic links and files over 1 MiB are
 * refused, so a submission cannot point the grader at files outside itself.
 *
 * @module
 */

import { pathPresent } from "../engine/path_present.ts";
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { readSubmitted } from "../engine/submitted.ts";
import { basename, dirname, join } from "node:path";
import type { Exercise } from "../engine/types.ts";

/** Largest stub file accepted from a submission, bytes. */
export const MAX_STUB_BYTES = 1024 * 1024;

/** What {@linkcode collectSubmission} found. */
export interface Collected {
  /** Stub files taken, as `NN_slug/<stub>`. */
  found: string[];
  /** Stub files the submission lacks (the pristine stub stays in their place). */
  missing: string[];
  /** Files refused, with why. */
  refused: string[];
}

function regularFile(p: string, refused: string[]): boolean {
  let st;
  try {
    st = lstatSync(p);
  } catch {
    // Not there (or not readable): not a file to collect; the caller lists the stub as missing.
    return false;
  }
  if (st.isSymbolicLink()) {
    refused.push(`${p}: a symbolic link (refused)`);
    return false;
  }
  if (!st.isFile()) return false;
  if (st.size > MAX_STUB_BYTES) {
    refused.push(`${p}: ${st.size} bytes, over the ${MAX_STUB_BYTES}-byte limit (refused)`);
    return false;
  }
  return true;
}

/** Every regular file under a folder (depth-limited, skipping node_modules and dot folders). */
function walk(dir: string, depth: number, out: string[]): void {
  if (depth < 0) return;
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    // A folder of the submission that cannot be read holds nothing to collect; stubs not found
    // anywhere are reported as missing.
    return;
  }
  for (const n of names) {
    if (n === "node_modules" || n.startsWith(".")) continue;
    const p = join(dir, n);
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) walk(p, depth - 1, out);
    else out.push(p);
  }
}

/**
 * Builds a gradable workbook from a submission.
 *
 * @param src The submission folder.
 * @param exercises The pristine exercises (their `pristineDir` holds the pristine stubs).
 * @param dst An empty or missing folder to build the workbook in (gets `exercises/`).
 * @returns What was taken, missing and refused.
 *
 * @example
 * ```ts
 * const c = collectSubmission("/autograder/submission", discoverExercises("."), "/tmp/work");
 * c.found; // ["01_sleep_and_gather/gather.ts", ...]
 * ```
 */
export function collectSubmission(src: string, exercises: Exercise[], dst: string): Collected {
  const found: string[] = [];
  const missing: string[] = [];
  const refused: string[] = [];
  const byName = new Map<string, Exercise[]>();
  for (const ex of exercises) {
    for (const s of ex.meta.stubs) {
      byName.set(basename(s), [...(byName.get(basename(s)) ?? []), ex]);
    }
  }
  let loose: string[] | null = null;
  for (const ex of exercises) {
    for (const stub of ex.meta.stubs) {
      const target = join(dst, "exercises", ex.dir, stub);
      mkdirSync(dirname(target), { recursive: true });
      const candidates = [join(src, "exercises", ex.dir, stub), join(src, ex.dir, stub)];
      let from = candidates.find((c) => existsSync(c) || pathPresent(c));
      if (from === undefined && byName.get(basename(stub))?.length === 1) {
        loose ??= (() => {
          const all: string[] = [];
          walk(src, 3, all);
          return all;
        })();
        const hits = loose.filter((p) => basename(p) === basename(stub));
        if (hits.length === 1) from = hits[0];
        else if (hits.length > 1) {
          refused.push(
            `${
              basename(stub)
            }: found ${hits.length} files of that name; put it in exercises/${ex.dir}/`,
          );
        }
      }
      // Read as the grader reads any submitted stub: a regular file reached without a link that
      // leads outside the submission (a linked exercise folder pointing at solutions/ included).
      const read = from !== undefined && regularFile(from, refused)
        ? readSubmitted(from, src)
        : null;
      if (read !== null && "refused" in read) refused.push(`${from}: ${read.refused} (refused)`);
      if (read !== null && "bytes" in read) {
        writeFileSync(target, read.bytes);
        found.push(`${ex.dir}/${stub}`);
      } else {
        const pristine = join(ex.pristineDir, stub);
        if (existsSync(pristine)) copyFileSync(pristine, target);
        missing.push(`${ex.dir}/${stub}`);
      }
    }
  }
  return { found, missing, refused };
}
