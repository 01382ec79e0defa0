/**
 * Reads StrykerJS's JSON report (the mutation-testing-report-schema, version 1: `files` maps a
 * path to its `source` and its `mutants`, each with `mutatorName`, `replacement`, `status` and a
 * `location` whose lines and columns count from 1, the end column exclusive) into the few facts
 * `npm run mutate` prints and stores. Pure functions.
 *
 * @module
 */

/** A position in a file, as the report gives it: line and column counting from 1. */
export interface ReportPosition {
  /** Line, from 1. */
  line: number;
  /** Column, from 1. */
  column: number;
}

/** One mutant as the report gives it (the fields used here). */
export interface ReportMutant {
  /** Stryker's id. */
  id: string;
  /** The mutator (`ConditionalExpression`, `BlockStatement`, ...). */
  mutatorName: string;
  /** The code put in place of the original. */
  replacement?: string;
  /** `Killed`, `Survived`, `NoCoverage`, `Timeout`, `CompileError`, `RuntimeError`, `Ignored`, `Pending`. */
  status: string;
  /** Why it has its status, when Stryker says. */
  statusReason?: string;
  /** Where the original code is: start inclusive, end exclusive. */
  location: { start: ReportPosition; end: ReportPosition };
}

/** The subset of Stryker's JSON report read here. */
export interface StrykerReport {
  /** "1" or "1.x". */
  schemaVersion: string;
  /** Mutated files by path relative to Stryker's working directory. */
  files: Record<string, { source: string; mutants: ReportMutant[] }>;
}

/** One mutant, flattened, with the file named relative to its exercise. */
export interface MutantRecord {
  /** The stub file it is in, relative to the exercise (`lock.ts`). */
  file: string;
  /** Line, from 1. */
  line: number;
  /** Column, from 1. */
  column: number;
  /** Stryker's mutator name. */
  mutator: string;
  /** The original code, whitespace runs collapsed to one space. */
  original: string;
  /** The replacement code, whitespace runs collapsed to one space. */
  replacement: string;
  /** Stryker's status. */
  status: string;
}

/** Mutant counts by outcome. */
export interface MutantCounts {
  /** Every mutant Stryker made. */
  total: number;
  /** A test failed. */
  killed: number;
  /** Every test passed. */
  survived: number;
  /** The tests did not finish in time (counted as detected, as Stryker does). */
  timeout: number;
  /** No test ran the mutated code (the command runner reports none: it has no coverage). */
  no_coverage: number;
  /** The mutated code could not be loaded or crashed the runner (not counted in the score). */
  runtime_error: number;
  /** The mutant did not compile (not counted in the score). */
  compile_error: number;
  /** Ignored by configuration (not counted in the score). */
  ignored: number;
}

/** Statuses of mutants the tests did not detect. */
export const UNDETECTED: ReadonlySet<string> = new Set([
  "Survived",
  "NoCoverage",
]);

/**
 * Collapses every whitespace run to one space and trims, so that code compares and prints on one
 * line.
 *
 * @param code Any code.
 * @returns The code on one line.
 *
 * @example
 * ```ts
 * oneLine("{\n  a();\n}"); // "{ a(); }"
 * ```
 */
export function oneLine(code: string): string {
  return code.replace(/\s+/g, " ").trim();
}

/**
 * Shortens a text to at most `max` characters, ending a shortened one with "...".
 *
 * @param text Any text.
 * @param max The longest result (at least 4).
 * @returns The text, or its start and "...".
 *
 * @example
 * ```ts
 * clip("abcdefgh", 6); // "abc..."
 * ```
 */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 3))}...`;
}

/**
 * The text between two positions of a source (lines and columns from 1, end exclusive).
 *
 * @param source The whole file.
 * @param start First character.
 * @param end One past the last character.
 * @returns The text; empty when the positions are outside the source.
 *
 * @example
 * ```ts
 * sliceSource("a\nbcd", { line: 2, column: 2 }, { line: 2, column: 4 }); // "cd"
 * ```
 */
export function sliceSource(
  source: string,
  start: ReportPosition,
  end: ReportPosition,
): string {
  const lines = source.split("\n");
  const offset = (p: ReportPosition): number => {
    let at = 0;
    for (let i = 0; i < p.line - 1 && i < lines.length; i++) {
      at += lines[i]!.length + 1;
    }
    return at + p.column - 1;
  };
  return source.slice(offset(start), offset(end));
}

/**
 * Checks that a parsed JSON value looks like a Stryker report.
 *
 * @param value Parsed JSON.
 * @returns The value, typed.
 * @throws {TypeError} When it is not a version-1 report with files and mutants.
 */
export function asReport(value: unknown): StrykerReport {
  const r = value as Partial<StrykerReport> | null;
  if (
    typeof r !== "object" || r === null || typeof r.files !== "object" ||
    r.files === null
  ) {
    throw new TypeError("Stryker's report has no `files` object");
  }
  if (
    typeof r.schemaVersion !== "string" || !/^1(\.|$)/.test(r.schemaVersion)
  ) {
    throw new TypeError(
      `Stryker's report has schemaVersion ${JSON.stringify(r.schemaVersion)}; expected 1.x`,
    );
  }
  for (const [name, file] of Object.entries(r.files)) {
    if (typeof file?.source !== "string" || !Array.isArray(file.mutants)) {
      throw new TypeError(
        `Stryker's report entry ${name} has no source or mutants`,
      );
    }
  }
  return r as StrykerReport;
}

/**
 * Flattens a report's mutants in file, line and column order.
 *
 * @param report The report.
 * @param prefix The exercise folder relative to Stryker's working directory
 *   (`exercises/08_lock/`); it is stripped from file names.
 * @returns Every mutant.
 */
export function readMutants(
  report: StrykerReport,
  prefix: string,
): MutantRecord[] {
  const out: MutantRecord[] = [];
  for (const [path, file] of Object.entries(report.files)) {
    const name = path.replaceAll("\\", "/");
    const rel = name.startsWith(prefix) ? name.slice(prefix.length) : name;
    for (const m of file.mutants) {
      out.push({
        file: rel,
        line: m.location.start.line,
        column: m.location.start.column,
        mutator: m.mutatorName,
        original: oneLine(
          sliceSource(file.source, m.location.start, m.location.end),
        ),
        replacement: oneLine(m.replacement ?? ""),
        status: m.status,
      });
    }
  }
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return out.sort((a, b) =>
    cmp(a.file, b.file) || a.line - b.line || a.column - b.column ||
    cmp(a.mutator, b.mutator) ||
    cmp(a.replacement, b.replacement)
  );
}

/**
 * Counts mutants by status.
 *
 * @param mutants Mutants from {@link readMutants}.
 * @returns The counts; statuses other than the named ones (Pending) count in `total` only.
 */
export function countMutants(mutants: readonly MutantRecord[]): MutantCounts {
  const c: MutantCounts = {
    total: mutants.length,
    killed: 0,
    survived: 0,
    timeout: 0,
    no_coverage: 0,
    runtime_error: 0,
    compile_error: 0,
    ignored: 0,
  };
  const key: Record<string, keyof MutantCounts> = {
    Killed: "killed",
    Survived: "survived",
    Timeout: "timeout",
    NoCoverage: "no_coverage",
    RuntimeError: "runtime_error",
    CompileError: "compile_error",
    Ignored: "ignored",
  };
  for (const m of mutants) {
    const k = key[m.status];
    if (k) c[k]++;
  }
  return c;
}
