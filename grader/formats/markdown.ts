/**
 * A Markdown summary for a CI job summary (`$GITHUB_STEP_SUMMARY`): a heading with the total,
 * a table of exercises, and a collapsible list of failing tests.
 *
 * @module
 */

import type { Report } from "./result.ts";
import { DEADLOCK_NOTE, whereToLook } from "./failure.ts";
import { loadFrame } from "./located.ts";
import { markdownText } from "./sanitize.ts";

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
 * Formats a report as Markdown.
 *
 * @param report The report.
 * @returns Markdown text.
 */
export function formatMarkdown(report: Report): string {
  const out: string[] = [`## Workbook grade: ${report.score} / ${report.max_score}`, ""];
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
    out.push("", "</details>");
  }
  return out.join("\n") + "\n";
}
