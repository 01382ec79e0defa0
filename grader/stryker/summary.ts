/**
 * The per-exercise result of `npm run mutate`: built from Stryker's mutants and the recorded
 * equivalent mutants, written to `solutions/NN_slug/stryker.json` (format in README.md beside
 * this file) and printed as lines. Pure, except {@link writeSummary}.
 *
 * @module
 */

import { writeFileSync } from "node:fs";
import { type EquivalentEntry, matchEquivalents, suggestEntry } from "./equivalent.ts";
import { clip, countMutants, type MutantCounts, type MutantRecord, UNDETECTED } from "./report.ts";

/** Version of the stryker.json format; any incompatible change bumps it. */
export const SUMMARY_VERSION = 1;

/** A mutant the tests did not detect, as stored in stryker.json. */
export interface SurvivorEntry {
  /** The stub file relative to the exercise (`lock.ts`). */
  file: string;
  /** Line, from 1. */
  line: number;
  /** Column, from 1. */
  column: number;
  /** Stryker's mutator name. */
  mutator: string;
  /** The original code on one line (clipped to 200 characters). */
  original: string;
  /** The replacement on one line (clipped to 200 characters). */
  replacement: string;
  /** `Survived` or `NoCoverage`. */
  status: string;
  /** The recorded reason when promises.json lists it as equivalent, else null. */
  equivalent: string | null;
}

/** The content of `solutions/NN_slug/stryker.json`. */
export interface StrykerSummary {
  /** {@link SUMMARY_VERSION}. */
  schema_version: number;
  /** The exercise folder name (`08_lock`). */
  exercise: string;
  /** When the run ended (ISO 8601, UTC). */
  date: string;
  /** Wall-clock seconds of the Stryker run (install excluded). */
  seconds: number;
  /** The runtime that ran the tests. */
  runtime: string;
  /** Versions: `stryker` (@stryker-mutator/core), `node` (that ran Stryker), the runtime's. */
  tools: Record<string, string>;
  /** The files mutated, relative to the exercise. */
  mutated: string[];
  /** SHA-256 of the mutated solution files and the test files at the run (`status.ts` inputsHash). */
  inputs: string;
  /** Percent detected, leaving out recorded equivalents: (killed + timeout) / (killed + timeout + survived + no_coverage - equivalent); null with no mutant. */
  score: number | null;
  /** Stryker's own score, counting equivalents as survivors. */
  stryker_score: number | null;
  /** Counts by status, and `equivalent`: undetected mutants recorded as equivalent. */
  counts: MutantCounts & { equivalent: number };
  /** Every undetected mutant, in file and line order. */
  survivors: SurvivorEntry[];
  /** promises.json entries that match no survivor any more. */
  stale_equivalent: EquivalentEntry[];
}

/** What {@link buildSummary} needs besides the mutants. */
export interface SummaryInput {
  /** The exercise folder name. */
  exercise: string;
  /** Every mutant of the run. */
  mutants: readonly MutantRecord[];
  /** Recorded equivalent mutants. */
  equivalents: readonly EquivalentEntry[];
  /** Files mutated, relative to the exercise. */
  mutated: readonly string[];
  /** The inputs hash. */
  inputs: string;
  /** Seconds the run took. */
  seconds: number;
  /** Runtime name. */
  runtime: string;
  /** Tool versions. */
  tools: Record<string, string>;
  /** When it ended. */
  date: Date;
}

/** Rounds to two decimals. */
const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * Builds the summary of one run.
 *
 * @param input See {@link SummaryInput}.
 * @returns The summary to write and print.
 */
export function buildSummary(input: SummaryInput): StrykerSummary {
  const counts = countMutants(input.mutants);
  const undetected = input.mutants.filter((m) => UNDETECTED.has(m.status));
  const { bySurvivor, stale } = matchEquivalents(undetected, input.equivalents);
  const detected = counts.killed + counts.timeout;
  const valid = detected + counts.survived + counts.no_coverage;
  const equivalent = bySurvivor.size;
  const percent = (
    den: number,
  ): number | null => (den > 0 ? round2((100 * detected) / den) : null);
  return {
    schema_version: SUMMARY_VERSION,
    exercise: input.exercise,
    date: input.date.toISOString(),
    seconds: Math.round(input.seconds * 10) / 10,
    runtime: input.runtime,
    tools: { ...input.tools },
    mutated: [...input.mutated],
    inputs: input.inputs,
    score: percent(valid - equivalent),
    stryker_score: percent(valid),
    counts: { ...counts, equivalent },
    survivors: undetected.map((m, i) => {
      const e = bySurvivor.get(i);
      return {
        file: m.file,
        line: m.line,
        column: m.column,
        mutator: m.mutator,
        original: clip(m.original, 200),
        replacement: clip(m.replacement, 200),
        status: m.status,
        equivalent: e === undefined ? null : input.equivalents[e]!.why,
      };
    }),
    stale_equivalent: stale.map((i) => input.equivalents[i]!),
  };
}

/**
 * Writes a summary as indented JSON with a final newline.
 *
 * @param file Destination (`solutions/NN_slug/stryker.json`).
 * @param summary The summary.
 */
export function writeSummary(file: string, summary: StrykerSummary): void {
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
}

/** Formats a percentage or "n/a". */
const pct = (
  n: number | null,
): string => (n === null ? "n/a" : `${n.toFixed(2)}%`);

/**
 * The lines `npm run mutate` prints for one exercise: the score and counts, then each survivor
 * as `file:line:col mutator: original -> replacement` (equivalents marked with their reason),
 * stale entries, and the entries to paste for unexplained survivors.
 *
 * @param s The summary.
 * @param fileDir Prefix for printed file names (`solutions/08_lock/`).
 * @returns Lines without newlines.
 */
export function formatSummary(s: StrykerSummary, fileDir: string): string[] {
  const c = s.counts;
  const lines = [
    `${s.exercise}: mutation score ${pct(s.score)} (${c.total} mutants: ${c.killed} killed, ` +
    `${c.survived} survived, ${c.timeout} timeout, ${c.no_coverage} no coverage, ` +
    `${c.equivalent} equivalent; Stryker's score ${pct(s.stryker_score)}) in ${
      s.seconds.toFixed(1)
    } s`,
  ];
  const errors = c.runtime_error + c.compile_error;
  if (errors > 0) {
    lines.push(
      `  (${errors} mutants were runtime or compile errors: not scored)`,
    );
  }
  const open = s.survivors.filter((v) => v.equivalent === null);
  for (const v of s.survivors) {
    const where = `${fileDir}${v.file}:${v.line}:${v.column}`;
    const what = `${v.mutator}: ${clip(v.original, 80)} -> ${clip(v.replacement, 80)}`;
    const tag = v.status === "Survived" ? "" : ` [${v.status}]`;
    const why = v.equivalent === null ? "" : `  [equivalent: ${v.equivalent}]`;
    lines.push(
      `  ${v.equivalent === null ? "survived  " : "equivalent"} ${where} ${what}${tag}${why}`,
    );
  }
  for (const e of s.stale_equivalent) {
    lines.push(
      `  STALE equivalent entry (matches no survivor): ${fileDir}${e.file}:${e.line} ${e.mutator} -> ${e.replacement}`,
    );
  }
  if (open.length > 0) {
    lines.push(
      `  ${open.length} survivor(s) not explained: kill each with a hidden test, or record it in ` +
        `${fileDir}promises.json under "equivalent" with a one-line "why":`,
    );
    for (const v of open) lines.push(`    ${suggestEntry(v)},`);
  }
  return lines;
}
