/**
 * The promise table of an exercise (`solutions/NN_slug/promises.json`): every promise of the
 * README and the stub's JSDoc, with the tests that pin it and the mutants that break it. Read and
 * checked here; the self-check adds that each row's mutants are caught by the row's own tests.
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ExpectedTest } from "../engine/types.ts";
import type { ContentInput } from "./lint_content.ts";

/** One row of a promise table (`solutions/NN_slug/promises.json`). */
export interface PromiseRow {
  /** Short stable id, e.g. "fifo-waiters". */
  id: string;
  /** The task it belongs to. */
  task: number;
  /** The promise, as the README or the stub's JSDoc makes it. */
  promise: string;
  /** Full names of the tests that pin it. */
  tests: string[];
  /** Names of the mutants (patch names without .patch) that break it. */
  mutants: string[];
}

/** What an exercise's `solutions/NN_slug/promises.json` holds. */
export interface PromiseTable {
  /** The rows. */
  promises: PromiseRow[];
  /** Anything else the file holds (for example Stryker's equivalent mutants), kept as is. */
  [key: string]: unknown;
}

/**
 * Reads a promise table.
 *
 * @param file Path of promises.json.
 * @returns The table, or a problem when it is missing or malformed.
 */
export function readPromises(file: string): { table?: PromiseTable; problem?: string } {
  if (!existsSync(file)) {
    return {
      problem: "is missing (the promise table: every promise of the README, its tests and mutants)",
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return { problem: `is not valid JSON: ${(e as Error).message}` };
  }
  const rows = (raw as { promises?: unknown })?.promises;
  if (!Array.isArray(rows) || rows.length === 0) {
    return { problem: 'must hold a non-empty "promises" array' };
  }
  for (const [i, r] of rows.entries()) {
    const row = r as Partial<PromiseRow>;
    const bad = typeof row.id !== "string" || row.id === "" || !Number.isInteger(row.task) ||
      typeof row.promise !== "string" || row.promise === "" ||
      !Array.isArray(row.tests) || !row.tests.every((t) => typeof t === "string") ||
      !Array.isArray(row.mutants) || !row.mutants.every((t) => typeof t === "string");
    if (bad) {
      return {
        problem:
          `promises[${i}] needs id (string), task (integer), promise (string), tests and mutants (arrays of strings)`,
      };
    }
  }
  return { table: raw as PromiseTable };
}

/**
 * The promise table's problems: rows without tests or mutants, names that do not exist, mutants
 * that belong to no row.
 *
 * @param x The exercise.
 * @param tasks The README's task numbers.
 * @param tests Its declared tests (no groups).
 * @returns Problems.
 */
export function lintPromises(x: ContentInput, tasks: number[], tests: ExpectedTest[]): string[] {
  const file = `solutions/${x.dir}/promises.json`;
  const { table, problem } = readPromises(join(x.root, file));
  if (!table) return [`${file} ${problem}`];
  const problems: string[] = [];
  const names = new Set(tests.map((t) => t.name));
  const ids = new Set<string>();
  const covered = new Set<string>();
  for (const row of table.promises) {
    const where = `${file} "${row.id}"`;
    if (ids.has(row.id)) problems.push(`${where}: the id is used twice`);
    ids.add(row.id);
    if (!tasks.includes(row.task)) {
      problems.push(`${where}: task ${row.task} is not a task of the README`);
    }
    if (row.tests.length === 0) problems.push(`${where}: no test pins this promise`);
    if (row.mutants.length === 0) problems.push(`${where}: no mutant proves its tests can fail`);
    for (const t of row.tests) {
      if (!names.has(t)) problems.push(`${where}: no test is named "${t}"`);
    }
    for (const m of row.mutants) {
      if (!x.mutants.includes(m)) {
        problems.push(`${where}: no mutant solutions/${x.dir}/mutants/${m}.patch`);
      }
      covered.add(m);
    }
  }
  for (const m of x.mutants) {
    if (!covered.has(m)) {
      problems.push(
        `${file}: mutant ${m} breaks no promise of the table (add it to the row it breaks)`,
      );
    }
  }
  return problems;
}
