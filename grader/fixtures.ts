/**
 * Test helpers: materialise the fixture workbook and hostile submissions of `grader/fixtures/`
 * into temp folders (dropping the `.txt` suffix that keeps them away from tsc and test runners).
 *
 * @module
 */

import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { TOOL_ROOT } from "./main.ts";

const FIXTURES = join(TOOL_ROOT, "grader", "fixtures");

function copyStripped(src: string, dst: string): void {
  mkdirSync(dst, { recursive: true });
  for (const name of readdirSync(src)) {
    const s = join(src, name);
    if (statSync(s).isDirectory()) copyStripped(s, join(dst, name));
    else if (name.endsWith(".txt")) copyFileSync(s, join(dst, name.slice(0, -4)));
  }
}

/** A materialised fixture folder. */
export interface FixtureDir {
  /** Its path. */
  path: string;
  /** Removes it. */
  cleanup(): void;
}

/**
 * Copies the fixture workbook `wb` to a temp folder, with the real configs and the real lib/.
 *
 * @returns The workbook root.
 */
export function makeWorkbook(): FixtureDir {
  const path = mkdtempSync(join(tmpdir(), "grader-fixture-wb-"));
  copyStripped(join(FIXTURES, "wb"), path);
  for (const f of ["package.json", "deno.json", "tsconfig.json"]) copyFileSync(join(TOOL_ROOT, f), join(path, f));
  cpSync(join(TOOL_ROOT, "lib"), join(path, "lib"), { recursive: true });
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Builds a student copy: the workbook's exercises, 02_greet and 03_clock solved, then the case's files laid
 * over them (and the paths listed in its DELETE.txt removed).
 *
 * @param wb The fixture workbook root.
 * @param name Case folder under fixtures/submissions.
 * @returns The submission root.
 */
export function makeSubmission(wb: string, name: string): FixtureDir {
  const path = mkdtempSync(join(tmpdir(), `grader-fixture-sub-${name}-`));
  cpSync(join(wb, "exercises"), join(path, "exercises"), { recursive: true });
  copyFileSync(join(wb, "solutions", "02_greet", "greet.ts"), join(path, "exercises", "02_greet", "greet.ts"));
  copyFileSync(join(wb, "solutions", "03_clock", "later.ts"), join(path, "exercises", "03_clock", "later.ts"));
  const src = join(FIXTURES, "submissions", name);
  if (!existsSync(src)) throw new RangeError(`No fixture submission named "${name}"`);
  copyStripped(src, path);
  const del = join(path, "DELETE");
  if (existsSync(del)) {
    for (const line of readFileSync(del, "utf8").split("\n")) {
      const m = /^delete: (.+)$/.exec(line.trim());
      if (m) rmSync(join(path, m[1]!), { force: true });
    }
    rmSync(del);
  }
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Moves a file inside a fixture (for lint tests). */
export function moveFile(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  renameSync(from, to);
}
