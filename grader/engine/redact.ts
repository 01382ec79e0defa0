/**
 * Keeps the hidden tests' source out of reports: any line of a message or of printed output that
 * is, once trimmed, a line of one of the exercise's hidden test files (at least 16 characters
 * long) is replaced by a note. Code under test can print what it can read (under Bun, the test
 * files it is tested by); a report never shows it.
 *
 * @module
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Exercise } from "./types.ts";

const cache = new Map<string, Set<string>>();

/** The hidden test files' lines of an exercise, trimmed, 16 characters and longer. */
function hiddenLines(ex: Exercise): Set<string> {
  let set = cache.get(ex.pristineDir);
  if (!set) {
    set = new Set();
    for (const f of ex.testFiles.filter((f) => f.endsWith(".hidden.ts"))) {
      for (const line of readFileSync(join(ex.pristineDir, f), "utf8").split("\n")) {
        const t = line.trim();
        if (t.length >= 16) set.add(t);
      }
    }
    cache.set(ex.pristineDir, set);
  }
  return set;
}

/**
 * Replaces the lines of `text` that are lines of the exercise's hidden tests.
 *
 * @param ex The exercise.
 * @param text A message or printed output.
 * @returns The text, with each such line replaced by "[a line of a hidden test, withheld]".
 */
export function redactHiddenSource(ex: Exercise, text: string): string {
  if (!text) return text;
  const lines = hiddenLines(ex);
  if (lines.size === 0) return text;
  return text.split("\n").map((
    l,
  ) => (lines.has(l.trim()) ? "[a line of a hidden test, withheld]" : l)).join("\n");
}
