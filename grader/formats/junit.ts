/**
 * JUnit XML for CI dashboards: one `<testsuite>` per exercise, one `<testcase>` per test
 * (classname = exercise folder), `<failure>` for wrong answers, `<error>` for tests that could not
 * complete, `<system-out>` with captured output.
 *
 * @module
 */

import type { Report } from "./result.ts";
import { escapeXml } from "./xml.ts";

/**
 * Formats a report as JUnit XML.
 *
 * @param report The report.
 * @returns XML text.
 */
export function formatJUnit(report: Report): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = report.exercises.flatMap((e) => e.tests);
  const fails = all.filter((t) => t.status === "fail").length;
  const errs = all.filter((t) => t.status === "error").length;
  out.push(
    `<testsuites name="workbook grader (${escapeXml(report.runtime)})" tests="${all.length}" failures="${fails}" errors="${errs}" time="${report.time}">`,
  );
  for (const e of report.exercises) {
    const f = e.tests.filter((t) => t.status === "fail").length;
    const er = e.tests.filter((t) => t.status === "error").length;
    out.push(
      `  <testsuite name="${escapeXml(`${e.dir}: ${e.title}`)}" tests="${e.tests.length}" failures="${f}" errors="${er}" skipped="0" time="${e.time}">`,
    );
    out.push(`    <properties><property name="score" value="${e.score}"/><property name="max_score" value="${e.max_score}"/><property name="status" value="${e.status}"/></properties>`);
    for (const t of e.tests) {
      const open = `    <testcase name="${escapeXml(t.name)}" classname="${escapeXml(e.dir)}" file="${escapeXml(`exercises/${e.dir}/${t.file}`)}" time="${t.time}"`;
      if (t.status === "pass" && !t.output) {
        out.push(`${open}/>`);
        continue;
      }
      out.push(`${open}>`);
      if (t.status !== "pass") {
        const tag = t.status === "error" ? "error" : "failure";
        const first = t.message.split("\n")[0] ?? "";
        out.push(`      <${tag} message="${escapeXml(first)}" type="${escapeXml(t.reason ?? "failure")}">${escapeXml(t.message)}</${tag}>`);
      }
      if (t.output) out.push(`      <system-out>${escapeXml(t.output)}</system-out>`);
      out.push("    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}
