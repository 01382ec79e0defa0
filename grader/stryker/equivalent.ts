/**
 * Equivalent mutants: Stryker survivors that no test can kill because the mutated program
 * behaves exactly like the original. Authors record them in `solutions/NN_slug/promises.json`
 * under `"equivalent"`, one line of reason each; the score leaves them out. Entries are matched
 * to survivors robustly, so that editing the solution above a recorded mutant does not orphan it.
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { clip, type MutantRecord, oneLine } from "./report.ts";

/** One recorded equivalent mutant (`promises.json` → `"equivalent"`). */
export interface EquivalentEntry {
  /** The stub file, relative to the exercise (`lock.ts`); `solutions/NN_slug/lock.ts` also works. */
  file: string;
  /** The line Stryker reported (from 1). */
  line: number;
  /** Stryker's mutator name. */
  mutator: string;
  /** The replacement code, as printed by `npm run mutate`. */
  replacement: string;
  /** Why no test can tell it from the original: one line. */
  why: string;
  /** Optional: the original code, as printed; lets the entry match however far the line moved. */
  original?: string;
}

/** How far (in lines) a recorded entry may be from its survivor and still match it. */
export const LINE_WINDOW = 5;

/**
 * Names a stub file the same way whichever form an entry uses: `lock.ts`, `./lock.ts`,
 * `solutions/08_lock/lock.ts` and `exercises/08_lock/lock.ts` all become `lock.ts`.
 *
 * @param file A file name from an entry or a survivor.
 * @returns The name relative to the exercise.
 *
 * @example
 * ```ts
 * normalizeFile("solutions/08_lock/lock.ts"); // "lock.ts"
 * ```
 */
export function normalizeFile(file: string): string {
  return file.replaceAll("\\", "/").replace(/^(\.\/)+/, "").replace(
    /^(?:solutions|exercises)\/\d{2}_[a-z0-9_]+\//,
    "",
  );
}

/**
 * Reads the `"equivalent"` list of a promises.json. A missing file or key is an empty list; a
 * malformed entry is skipped and described in `problems`.
 *
 * @param file Path of the promises.json.
 * @returns The valid entries (in file order) and a message per problem.
 */
export function readEquivalents(
  file: string,
): { entries: EquivalentEntry[]; problems: string[] } {
  if (!existsSync(file)) return { entries: [], problems: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return {
      entries: [],
      problems: [`${file}: not valid JSON (${(e as Error).message})`],
    };
  }
  const list = (raw as { equivalent?: unknown } | null)?.equivalent;
  if (list === undefined) return { entries: [], problems: [] };
  if (!Array.isArray(list)) {
    return {
      entries: [],
      problems: [`${file}: "equivalent" must be an array`],
    };
  }
  return parseEquivalents(list, file);
}

/**
 * Validates the entries of an `"equivalent"` array.
 *
 * @param list The array's items.
 * @param where Named in problem messages.
 * @returns Valid entries and a message per invalid one.
 */
export function parseEquivalents(
  list: readonly unknown[],
  where: string,
): { entries: EquivalentEntry[]; problems: string[] } {
  const entries: EquivalentEntry[] = [];
  const problems: string[] = [];
  list.forEach((item, i) => {
    const o = item as Record<string, unknown> | null;
    const bad: string[] = [];
    if (typeof o !== "object" || o === null || Array.isArray(o)) {
      bad.push("not an object");
    } else {
      for (const k of ["file", "mutator", "replacement"]) {
        if (typeof o[k] !== "string") bad.push(`"${k}" must be a string`);
      }
      if (!Number.isInteger(o.line) || (o.line as number) < 1) {
        bad.push('"line" must be an integer >= 1');
      }
      if (typeof o.why !== "string" || o.why.trim() === "") {
        bad.push('"why" must say why it is equivalent');
      }
      if (o.original !== undefined && typeof o.original !== "string") {
        bad.push('"original" must be a string');
      }
    }
    if (bad.length > 0) {
      problems.push(`${where}: equivalent[${i}] ignored: ${bad.join("; ")}`);
      return;
    }
    const e = o as unknown as EquivalentEntry;
    entries.push({
      file: e.file,
      line: e.line,
      mutator: e.mutator,
      replacement: e.replacement,
      why: e.why,
      ...(e.original === undefined ? {} : { original: e.original }),
    });
  });
  return { entries, problems };
}

/** The outcome of {@link matchEquivalents}. */
export interface EquivalentMatch {
  /** For each survivor index that an entry explains, the index of that entry. */
  bySurvivor: Map<number, number>;
  /** Indexes of entries that match no survivor (stale: the mutant is gone or now killed). */
  stale: number[];
}

/**
 * Whether a recorded `original` names a survivor's original code: equal on one line, or, when the
 * recorded text was clipped (it ends with "..."), a prefix of it.
 *
 * @param recorded The entry's `original`.
 * @param actual The survivor's original code.
 * @returns True when they name the same code.
 *
 * @example
 * ```ts
 * sameOriginal("{ a(); ...", "{ a(); b(); }"); // true
 * ```
 */
export function sameOriginal(recorded: string, actual: string): boolean {
  const r = oneLine(recorded);
  const a = oneLine(actual);
  if (r === a) return true;
  return r.endsWith("...") && r.length > 3 && a.startsWith(r.slice(0, -3));
}

/**
 * Pairs recorded entries with survivors, one to one. An entry can match a survivor with the same
 * file, mutator and replacement (whitespace-insensitive) when its line is within
 * {@link LINE_WINDOW} lines of the survivor's, or when its `original` text equals the survivor's.
 * Closest pairs are taken first: equal original text, then the smallest line distance.
 *
 * @param survivors Undetected mutants.
 * @param entries Recorded entries.
 * @returns Which survivor each entry explains, and the entries left over.
 */
export function matchEquivalents(
  survivors: readonly MutantRecord[],
  entries: readonly EquivalentEntry[],
): EquivalentMatch {
  const pairs: { s: number; e: number; cost: number }[] = [];
  survivors.forEach((s, si) => {
    entries.forEach((e, ei) => {
      if (
        normalizeFile(e.file) !== normalizeFile(s.file) ||
        e.mutator !== s.mutator
      ) return;
      if (oneLine(e.replacement) !== oneLine(s.replacement)) return;
      const sameText = e.original !== undefined &&
        sameOriginal(e.original, s.original);
      const distance = Math.abs(e.line - s.line);
      if (!sameText && distance > LINE_WINDOW) return;
      pairs.push({ s: si, e: ei, cost: (sameText ? 0 : 1_000_000) + distance });
    });
  });
  pairs.sort((a, b) => a.cost - b.cost || a.s - b.s || a.e - b.e);
  const bySurvivor = new Map<number, number>();
  const used = new Set<number>();
  for (const p of pairs) {
    if (bySurvivor.has(p.s) || used.has(p.e)) continue;
    bySurvivor.set(p.s, p.e);
    used.add(p.e);
  }
  const stale = entries.map((_, i) => i).filter((i) => !used.has(i));
  return { bySurvivor, stale };
}

/**
 * The entry to paste into promises.json for a survivor, with its reason left to write.
 *
 * @param s A survivor.
 * @returns One line of JSON.
 *
 * @example
 * ```ts
 * suggestEntry({ file: "lock.ts", line: 3, column: 1, mutator: "BooleanLiteral",
 *   original: "true", replacement: "false", status: "Survived" });
 * // '{"file":"lock.ts","line":3,"mutator":"BooleanLiteral","original":"true","replacement":"false","why":"TODO"}'
 * ```
 */
export function suggestEntry(s: MutantRecord): string {
  return JSON.stringify({
    file: s.file,
    line: s.line,
    mutator: s.mutator,
    original: clip(s.original, 120),
    replacement: s.replacement,
    why: "TODO",
  });
}
