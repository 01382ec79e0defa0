/**
 * A Markdown summary for a CI job summary (`$GITHUB_STEP_SUMMARY`): a heading with the total,
 * a table of exercises, and a collapsible list of failing tests with, for a failing schedule
 * test, its expected and actual timelines as a Mermaid gantt block (see mermaid_gantt.ts).
 *
 * @module
 */

import { DEADLOCK_NOTE, whereToLook } from "./failure.ts";
import { loadFrame } from "./located.ts";
import { mermaidGantt } from "./mermaid_gantt.ts";
import type { ExerciseResult, Report, TestResult } from "./result.ts";
import { markdownText } from "./sanitize.ts";
import { timelineOf } from "./timeline_data.ts";

/** Schedule diagrams per report; later timeline failures show their message line only. */
export const MAX_DIAGRAMS = 5;

function cell(s: string): string {
  return markdownText(s);
}

/** Lines shown verbatim under a list item, in a fence longer than any backtick run they hold. */
function fenced(text: string): string[] {
  if (!text) return [];
  const fence = "`".repeat(Math.max(3, ...(text.match(/`+/g) ?? []).map((r) => r.length + 1)));
  return ["", `  ${fence}text`, ...text.split("\n").map((l) => `  ${l}`), `  ${fence}`, ""];
}

/**
 * The failing tests' schedules, expected vs yours, as Mermaid gantt blocks: GitHub draws those in
 * Markdown files and job summaries, and strips an inline <svg> (see mermaid_gantt.ts for the
 * sources). Top-level blocks, not inside list items, each under a line naming its test.
 */
function schedules(failing: { e: ExerciseResult; t: TestResult }[]): string[] {
  const out: string[] = [];
  const found = failing.map(({ e, t }) => ({ e, t, pair: timelineOf(t) })).filter((x) => x.pair);
  for (const { e, t, pair } of found.slice(0, MAX_DIAGRAMS)) {
    if (out.length === 0) out.push("", "#### Schedules: expected, then yours (red: differs)");
    out.push("", `**${cell(e.dir)}** ${cell(t.name)}`, "", ...mermaidGantt(pair!));
  }
  if (found.length > MAX_DIAGRAMS) {
    out.push("", `_${found.length - MAX_DIAGRAMS} more schedule(s) not drawn._`);
  }
  return out;
}

/**
 * Formats a report as Markdown.
 *
 * @param report The report.
 * @returns Markdown text.
 */
export function formatMarkdown(report: Report): string {
  const cases = report.exercises.flatMap((e) => e.tests);
  const out: string[] = [
    report.suite === "cpython"
      ? `## CPython conformance (not scored): ${
        cases.filter((t) => t.status === "pass").length
      } of ${cases.length} cases as expected`
      : `## Workbook grade: ${report.score} / ${report.max_score}`,
    "",
  ];
  out.push(`Runtime: ${report.runtime} · mode: ${report.mode} · ${report.time.toFixed(1)} s`, "");
  if (report.mutants) {
    const caught = report.mutants.filter((m) => m.caught).length;
    out.push(
      `Mutation score: ${caught} / ${report.mutants.length}`,
      "",
      "| Exercise | Mutant | Caught |",
      "| --- | --- | --- |",
    );
    for (const m of report.mutants) {
      out.push(`| ${cell(m.exercise)} | ${cell(m.mutant)} | ${m.caught ? "yes" : "**no**"} |`);
    }
    return out.join("\n") + "\n";
  }
  out.push("| Exercise | Score | Status | Tests passed |", "| --- | ---: | --- | ---: |");
  for (const e of report.exercises) {
    const passed = e.tests.filter((t) => t.status === "pass").length;
    out.push(
      `| ${
        cell(`${e.dir}: ${e.title}`)
      } | ${e.score} / ${e.max_score} | ${e.status} | ${passed} / ${e.tests.length} |`,
    );
  }
  const failing = report.exercises.flatMap((e) =>
    e.tests.filter((t) => t.status !== "pass").map((t) => ({ e, t }))
  );
  if (failing.length > 0) {
    out.push("", `<details><summary>${failing.length} failing test(s)</summary>`, "");
    // Where most deadlocks wait, once per exercise; what a deadlock is, once per report.
    for (const e of report.exercises) {
      const look = whereToLook(e.tests.filter((t) => t.status !== "pass"));
      if (look) out.push(`- **${cell(e.dir)}** where to look: ${cell(look)}`);
      const frame = loadFrame(e);
      if (frame) {
        out.push(
          `- **${cell(e.dir)}** did not load: ${cell(frame.place)}`,
          ...fenced(frame.source),
        );
      }
    }
    if (failing.some(({ t }) => t.reason === "deadlock")) out.push(`- _${cell(DEADLOCK_NOTE)}_`);
    for (const { e, t } of failing) {
      out.push(
        `- **${cell(e.dir)}** ${cell(t.name)}${t.hidden ? " _(hidden)_" : ""}: ${
          t.reason ? `\`${t.reason}\` ` : ""
        }${cell(t.message.split("\n")[0] ?? "")}`,
      );
    }
    out.push(...schedules(failing), "", "</details>");
  }
  return out.join("\n") + "\n";
}
