/**
 * JUnit XML for CI dashboards: one `<testsuite>` per exercise, one `<testcase>` per test
 * (classname = exercise folder), `<failure>` for wrong answers, `<error>` for tests that could not
 * complete, `<system-out>` with captured output. Built with fast-xml-parser's XMLBuilder, which
 * escapes markup; characters XML 1.0 cannot hold are removed first.
 *
 * @module
 */

import { XMLBuilder } from "fast-xml-parser";
import type { Report, TestResult } from "./result.ts";

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  textNodeName: "#text",
  format: true,
  indentBy: "  ",
  suppressEmptyNode: true,
  processEntities: true,
});

/**
 * Removes what XML 1.0 cannot hold: C0 controls other than tab, newline and carriage return,
 * lone surrogates, U+FFFE and U+FFFF.
 *
 * @param s Text.
 * @returns Text an XML document can carry.
 */
export function xmlSafe(s: string): string {
  return s.replace(
    // deno-lint-ignore no-control-regex
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    "",
  );
}

function testcase(t: TestResult, dir: string): Record<string, unknown> {
  const tc: Record<string, unknown> = {
    "@name": xmlSafe(t.name),
    "@classname": xmlSafe(dir),
    "@file": xmlSafe(`exercises/${dir}/${t.file}`),
    // The line of a visible test's call (a hidden test's place is not shown).
    ...(t.line !== undefined && !t.hidden ? { "@line": String(t.line) } : {}),
    "@time": String(t.time),
  };
  if (t.status !== "pass") {
    tc[t.status === "error" ? "error" : "failure"] = {
      "@message": xmlSafe(t.message.split("\n")[0] ?? ""),
      "@type": xmlSafe(t.reason ?? "failure"),
      "#text": xmlSafe(t.message),
    };
  }
  if (t.output) tc["system-out"] = xmlSafe(t.output);
  return tc;
}

/**
 * Formats a report as JUnit XML.
 *
 * @param report The report.
 * @returns XML text.
 */
export function formatJUnit(report: Report): string {
  const all = report.exercises.flatMap((e) => e.tests);
  const count = (ts: TestResult[], s: TestResult["status"]) =>
    String(ts.filter((t) => t.status === s).length);
  const doc = {
    "?xml": { "@version": "1.0", "@encoding": "UTF-8" },
    testsuites: {
      "@name": `workbook grader (${report.runtime})`,
      "@tests": String(all.length),
      "@failures": count(all, "fail"),
      "@errors": count(all, "error"),
      "@time": String(report.time),
      testsuite: report.exercises.map((e) => ({
        "@name": xmlSafe(`${e.dir}: ${e.title}`),
        "@tests": String(e.tests.length),
        "@failures": count(e.tests, "fail"),
        "@errors": count(e.tests, "error"),
        "@skipped": "0",
        "@time": String(e.time),
        properties: {
          property: [["score", e.score], ["max_score", e.max_score], ["status", e.status]].map((
            [n, v],
          ) => ({ "@name": n, "@value": String(v) })),
        },
        testcase: e.tests.map((t) => testcase(t, e.dir)),
      })),
    },
  };
  return builder.build(doc);
}
