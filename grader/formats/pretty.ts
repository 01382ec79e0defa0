/**
 * The terminal format: a table of exercises with scores and statuses, then the failing tests
 * with their reasons and messages. Colours only when writing to a TTY.
 *
 * @module
 */

import type { ExerciseResult, Report, TestResult } from "./result.ts";

/** Options of {@linkcode formatPretty}. */
export interface PrettyOptions {
  /** Use ANSI colours. */
  color: boolean;
  /** Show every failing test (default true). */
  details?: boolean;
}

const C = { red: 31, green: 32, yellow: 33, gray: 90, bold: 1 } as const;

function paint(on: boolean) {
  return (code: keyof typeof C, s: string) => (on ? `\x1b[${C[code]}m${s}\x1b[0m` : s);
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function statusText(e: ExerciseResult): string {
  return e.status === "done" ? "done" : e.status === "not-started" ? "not started" : "in progress";
}

function firstLine(s: string): string {
  const l = s.split("\n").find((x) => x.trim() !== "") ?? "";
  return l.length > 160 ? `${l.slice(0, 157)}...` : l;
}

/** The last line: the total score, or for `--cpython` the cases as expected (never a score). */
function totalLine(report: Report, p: ReturnType<typeof paint>): string {
  const where = p("gray", ` (${report.runtime}, ${report.time.toFixed(1)} s)`);
  if (report.suite !== "cpython") {
    return p("bold", `Total: ${report.score}/${report.max_score}`) + where;
  }
  const tests = report.exercises.flatMap((e) => e.tests);
  const ok = tests.filter((t) => t.status === "pass").length;
  return p("bold", `CPython conformance: ${ok} of ${tests.length} cases as expected`) + where +
    "\nNot part of your score. The differences by design are listed in exercises/CPYTHON.md.";
}

function testLine(t: TestResult, p: ReturnType<typeof paint>): string {
  const tag = t.hidden ? p("gray", " [hidden]") : "";
  const at = t.virtual_ms !== undefined ? p("gray", ` (virtual t=${t.virtual_ms} ms)`) : "";
  const why = t.reason ? p("yellow", `[${t.reason}] `) : "";
  return `    ${p("red", "x")} ${t.name}${tag}${at}\n      ${why}${firstLine(t.message)}`;
}

/**
 * Formats a report for the terminal.
 *
 * @param report The report.
 * @param opts Colour and detail.
 * @returns Text ending with a newline.
 */
export function formatPretty(report: Report, opts: PrettyOptions): string {
  const p = paint(opts.color);
  const lines: string[] = [];
  if (report.mutants) {
    lines.push(p("bold", `Mutants (${report.runtime})`));
    for (const m of report.mutants) {
      const mark = m.caught ? p("green", "caught ") : p("red", "MISSED ");
      lines.push(
        `  ${mark} ${m.exercise}/${m.mutant}${
          m.caught ? p("gray", ` by ${m.caught_by.length} test(s)`) : `: ${m.description}`
        }`,
      );
    }
    const caught = report.mutants.filter((m) => m.caught).length;
    lines.push(
      `Mutation score: ${caught}/${report.mutants.length} caught (${
        Math.round((report.mutation_score ?? 1) * 100)
      }%)`,
    );
  } else {
    const w = Math.max(8, ...report.exercises.map((e) => e.dir.length));
    const cpython = report.suite === "cpython";
    lines.push(
      p(
        "bold",
        `${pad("exercise", w)}  ${cpython ? "CPython cases as expected" : "score        status"}`,
      ),
    );
    for (const e of report.exercises) {
      const col = e.status === "done" ? "green" : e.status === "not-started" ? "gray" : "yellow";
      const sc = pad(`${e.score}/${e.max_score}`, 11);
      const passed = e.tests.filter((t) => t.status === "pass").length;
      lines.push(
        cpython
          ? `${pad(e.dir, w)}  ${p(col, `${passed}/${e.tests.length}`)}`
          : `${pad(e.dir, w)}  ${sc}  ${p(col, statusText(e))} ${
            p("gray", `(${passed}/${e.tests.length} tests)`)
          }`,
      );
    }
    if (opts.details !== false) {
      for (const e of report.exercises) {
        const bad = e.tests.filter((t) => t.status !== "pass");
        if (e.status === "not-started" && !e.reason && e.type_errors.length === 0) continue;
        if (bad.length === 0 && !e.reason && e.type_errors.length === 0) continue;
        lines.push("", p("bold", `${e.dir}: ${e.title}`));
        if (e.reason) lines.push(`  ${p("yellow", e.reason)}`);
        for (const te of e.type_errors) {
          lines.push(
            `  ${p("red", "type error")} ${te.file}:${te.line}:${te.column} ${te.message}`,
          );
        }
        for (const t of bad) lines.push(testLine(t, p));
      }
    }
    lines.push("", totalLine(report, p));
  }
  for (const w of report.warnings) lines.push(p("gray", `note: ${w}`));
  return lines.join("\n") + "\n";
}
