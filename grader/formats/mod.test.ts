import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatClassroom } from "./classroom.ts";
import { formatExercism } from "./exercism.ts";
import { formatGradescope } from "./gradescope.ts";
import { formatHtml } from "./html.ts";
import { formatJson } from "./json.ts";
import { formatJUnit } from "./junit.ts";
import { formatMarkdown } from "./markdown.ts";
import { type Format, formatReport, FORMATS } from "./mod.ts";
import { formatPretty } from "./pretty.ts";
import type { ExerciseResult, Report } from "./result.ts";

const exercise: ExerciseResult = {
  id: "01",
  dir: "01_add",
  slug: "add",
  title: "Add",
  score: 5,
  max_score: 10,
  status: "in-progress",
  tests: [
    {
      name: "add() adds",
      file: "add.test.ts",
      hidden: false,
      status: "pass",
      message: "",
      output: "",
      reason: null,
      weight: 1,
      time: 0,
    },
    {
      name: "add() adds zero",
      file: "add.hidden.ts",
      hidden: true,
      status: "fail",
      message: "AssertionError: 5 !== 0",
      output: "",
      reason: "assertion",
      weight: 1,
      time: 0,
    },
  ],
  type_errors: [],
  warnings: [],
  time: 0.1,
};
const report: Report = {
  mode: "submission",
  runs: [{ runtime: "deno", score: 5, max_score: 10, exercises: [exercise], time: 1 }],
  exercises: [exercise],
  score: 5,
  max_score: 10,
  runtime: "deno",
  time: 1,
  warnings: [],
};

describe("formatReport()", () => {
  it("FORMATS names the six documented formats", () => {
    assert.deepEqual([...FORMATS].sort(), [
      "classroom",
      "exercism",
      "gradescope",
      "html",
      "json",
      "junit",
      "markdown",
      "pretty",
    ]);
  });

  it("formatReport() renders each format with that format's own module", () => {
    const opts = { color: false, hiddenVisibility: "hidden" as const };
    const expected: Record<Format, string> = {
      pretty: formatPretty(report, { color: false }),
      json: formatJson(report),
      gradescope: formatGradescope(report, "hidden"),
      junit: formatJUnit(report),
      classroom: formatClassroom(report),
      markdown: formatMarkdown(report),
      exercism: formatExercism(report),
      html: formatHtml(report),
    };
    for (const f of FORMATS) assert.equal(formatReport(report, f, opts), expected[f], f);
    assert.equal(new Set(Object.values(expected)).size, FORMATS.length, "six different texts");
  });

  it("formatReport() passes the colour to pretty and the hidden visibility to gradescope", () => {
    const coloured = formatReport(report, "pretty", { color: true, hiddenVisibility: "hidden" });
    assert.ok(coloured.includes("\x1b["));
    const gs = JSON.parse(
      formatReport(report, "gradescope", { color: false, hiddenVisibility: "after_due_date" }),
    ) as { tests: { visibility: string }[] };
    assert.deepEqual(gs.tests.map((t) => t.visibility), ["visible", "after_due_date"]);
  });
});
