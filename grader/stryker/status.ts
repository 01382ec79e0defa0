/**
 * For the self-check summary: reads an exercise's `solutions/NN_slug/stryker.json` (written by
 * `npm run mutate`) and judges it against issue 13's bar (a score of at least 90% with every
 * survivor either killed or recorded as equivalent, and no stale entry). Never runs Stryker.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type StrykerSummary, SUMMARY_VERSION } from "./summary.ts";

/** Issue 13's minimum Stryker mutation score, in percent. */
export const MIN_SCORE = 90;

/** The verdict on one exercise's stryker.json. */
export interface StrykerStatus {
  /** The exercise folder name. */
  exercise: string;
  /** The summary, or null when there is none or it cannot be read. */
  summary: StrykerSummary | null;
  /** True when the summary meets the bar. */
  ok: boolean;
  /** One line for a summary table: the score and what is missing. */
  message: string;
}

/**
 * A hash of what a Stryker run depends on: the solution's mutated files and the exercise's test
 * files (`*.test.ts`, `*.hidden.ts`), names and contents. stryker.json keeps it as `inputs`, so a
 * reader can tell that the solution or the tests changed since the run.
 *
 * @param root The workbook root.
 * @param dir The exercise folder name.
 * @param mutated The stub files, relative to the exercise.
 * @returns A hex SHA-256; missing files hash as absent.
 */
export function inputsHash(
  root: string,
  dir: string,
  mutated: readonly string[],
): string {
  const h = createHash("sha256");
  const add = (label: string, file: string) => {
    h.update(`${label}\0`);
    h.update(existsSync(file) ? readFileSync(file) : "(absent)");
    h.update("\0");
  };
  for (const f of [...mutated].sort()) {
    add(`solution/${f}`, join(root, "solutions", dir, f));
  }
  const ex = join(root, "exercises", dir);
  const tests = existsSync(ex)
    ? readdirSync(ex).filter((f) => /\.(test|hidden)\.ts$/.test(f)).sort()
    : [];
  for (const f of tests) add(`test/${f}`, join(ex, f));
  return h.digest("hex");
}

/**
 * Reads `solutions/<dir>/stryker.json`.
 *
 * @param root The workbook root.
 * @param dir The exercise folder name (`08_lock`).
 * @returns The summary, or null when the file is missing.
 * @throws {Error} When the file is not JSON or not a version-1 summary.
 */
export function readSummary(root: string, dir: string): StrykerSummary | null {
  const file = join(root, "solutions", dir, "stryker.json");
  if (!existsSync(file)) return null;
  const s = JSON.parse(readFileSync(file, "utf8")) as
    | Partial<StrykerSummary>
    | null;
  if (
    s?.schema_version !== SUMMARY_VERSION || !Array.isArray(s.survivors) ||
    typeof s.counts !== "object" ||
    !Array.isArray(s.stale_equivalent)
  ) {
    throw new Error(
      `${file}: not a stryker.json of schema_version ${SUMMARY_VERSION}`,
    );
  }
  return s as StrykerSummary;
}

/**
 * Judges one exercise's stryker.json.
 *
 * @param root The workbook root.
 * @param dir The exercise folder name.
 * @param minScore The lowest passing score in percent ({@link MIN_SCORE} by default).
 * @returns The verdict; a missing or unreadable file is not ok.
 *
 * @example
 * ```ts
 * strykerStatus(".", "08_lock").message;
 * // "stryker 84.44% (14 survivors unexplained) 2026-12-04"
 * ```
 */
export function strykerStatus(
  root: string,
  dir: string,
  minScore: number = MIN_SCORE,
): StrykerStatus {
  let summary: StrykerSummary | null;
  try {
    summary = readSummary(root, dir);
  } catch (e) {
    return {
      exercise: dir,
      summary: null,
      ok: false,
      message: `stryker: ${(e as Error).message}`,
    };
  }
  if (summary === null) {
    return {
      exercise: dir,
      summary,
      ok: false,
      message: `stryker: not run (npm run mutate -- ${dir.slice(0, 2)})`,
    };
  }
  const open = summary.survivors.filter((v) => v.equivalent === null).length;
  const stale = summary.stale_equivalent.length;
  const changed = summary.inputs !== inputsHash(root, dir, summary.mutated);
  const problems = [
    ...(changed ? ["out of date: the solution or tests changed since"] : []),
    ...(summary.score === null || summary.score < minScore ? [`below ${minScore}%`] : []),
    ...(open > 0 ? [`${open} survivor${open === 1 ? "" : "s"} unexplained`] : []),
    ...(stale > 0 ? [`${stale} stale equivalent entr${stale === 1 ? "y" : "ies"}`] : []),
  ];
  const score = summary.score === null ? "n/a" : `${summary.score.toFixed(2)}%`;
  const day = summary.date.slice(0, 10);
  return {
    exercise: dir,
    summary,
    ok: problems.length === 0,
    message: `stryker ${score}${problems.length > 0 ? ` (${problems.join(", ")})` : ""} ${day}`,
  };
}
