import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatMarkdown, MAX_DIAGRAMS } from "./markdown.ts";
import type { ExerciseResult, MutantResult } from "./result.ts";
import { sampleExercise, sampleReport, sampleTest as test } from "./testdata/sample_report.ts";

const exercise = sampleExercise();
const report = sampleReport(exercise);

describe("formatMarkdown()", () => {
  it("formatMarkdown() writes a heading, a table and the failing tests", () => {
    const md = formatMarkdown(report);
    assert.match(md, /^## Workbook grade: 6 \/ 10/);
    assert.match(md, /\| Exercise \| Score \| Status \| Tests passed \|/);
    // The title's markup is escaped (formats/sanitize.ts markdownText), so it shows as text.
    assert.match(md, /\| 01\\_add: Add &lt;&amp;&gt; \| 6 \/ 10 \| in-progress \| 2 \/ 4 \|/);
    assert.match(md, /`cpu-loop`/);
  });

  it("formatMarkdown() heads the CPython suite with its cases as expected, not a grade", () => {
    const md = formatMarkdown({ ...report, suite: "cpython" });
    assert.match(md, /^## CPython conformance \(not scored\): 2 of 4 cases as expected\n/);
    assert.ok(!md.includes("Workbook grade"));
  });

  it("formatMarkdown() names the runtime, the mode and the time under the heading", () => {
    const lines = formatMarkdown(report).split("\n");
    assert.equal(lines[2], "Runtime: bun · mode: submission · 1.2 s");
    assert.equal(lines[4], "| Exercise | Score | Status | Tests passed |");
    assert.equal(lines[5], "| --- | ---: | --- | ---: |");
  });

  it("formatMarkdown() lists each failing test once in a collapsed section, hidden ones marked", () => {
    const md = formatMarkdown(report);
    assert.match(md, /<details><summary>2 failing test\(s\)<\/summary>/);
    const items = md.split("\n").filter((l) => l.startsWith("- "));
    assert.equal(items.length, 2);
    assert.match(items[0]!, /^- \*\*01\\_add\*\* .*adds negatives: `assertion` AssertionError/);
    assert.match(items[1]!, /^- \*\*01\\_add\*\* loops _\(hidden\)_: `cpu-loop` CPU loop/);
    assert.ok(md.trimEnd().endsWith("</details>"));
  });

  it("formatMarkdown() leaves the failing section out when every test passes", () => {
    const done: ExerciseResult = { ...exercise, score: 10, status: "done", tests: [test("a")] };
    const md = formatMarkdown({ ...report, exercises: [done], score: 10 });
    assert.ok(!md.includes("<details>"));
    assert.match(md, /\| done \| 1 \/ 1 \|/);
  });

  it("formatMarkdown() keeps a cell's | and newlines from breaking the table", () => {
    const md = formatMarkdown({
      ...report,
      exercises: [{
        ...exercise,
        title: "a | b\nc",
        tests: [test("t | u", { status: "fail", message: "x | y\nsecond line" })],
      }],
    });
    const row = md.split("\n").find((l) => l.startsWith("| 01"))!;
    assert.equal(row.split(/(?<!\\)\|/).length, 6, `five cells: ${row}`);
    assert.ok(!md.includes("second line"), "only a message's first line is shown");
  });

  it("formatMarkdown() in mutants mode writes the mutation score and one row per mutant", () => {
    const mutants: MutantResult[] = [
      { exercise: "01_add", mutant: "subtracts", description: "", caught: true, caught_by: ["a"] },
      { exercise: "01_add", mutant: "ignores_b", description: "", caught: false, caught_by: [] },
    ];
    const md = formatMarkdown({ ...report, mode: "mutants", exercises: [], mutants });
    assert.match(md, /Mutation score: 1 \/ 2/);
    assert.match(md, /\| Exercise \| Mutant \| Caught \|/);
    const rows = md.split("\n").filter((l) => l.startsWith("| 01"));
    assert.equal(rows.length, 2);
    assert.match(rows[0]!, /subtracts \| yes \|$/);
    assert.match(rows[1]!, /ignores\\_b \| \*\*no\*\* \|$/);
    assert.ok(!md.includes("Tests passed"));
  });

  it("formatMarkdown() draws a failing schedule as a Mermaid gantt block after the list", () => {
    const timeline = {
      expected: [{ label: "task 0", start: 0, end: 100 }],
      actual: [{ label: "task 0", start: 0, end: 200 }],
    };
    const schedule = test("runs in order", { status: "fail", message: "differs", timeline });
    const md = formatMarkdown({ ...report, exercises: [{ ...exercise, tests: [schedule] }] });
    const lines = md.split("\n");
    const at = lines.indexOf("```mermaid");
    assert.ok(at > lines.findIndex((l) => l.startsWith("- ")), "after the list of failures");
    assert.equal(lines[at - 2], "**01\\_add** runs in order", "under a line naming the test");
    assert.equal(lines[at - 1], "", "a top-level fence, after a blank line");
    assert.deepEqual(lines.slice(at + 1, at + 6), [
      "gantt",
      "  dateFormat x",
      "  axisFormat %Q",
      "  todayMarker off",
      "  section expected",
    ]);
    assert.ok(lines.includes("  task 0 :crit, s2, 0, 200"));
    assert.ok(md.trimEnd().endsWith("</details>"));
    assert.ok(!formatMarkdown(report).includes("```mermaid"), "no timeline, no block");
  });

  it("formatMarkdown() draws at most MAX_DIAGRAMS schedules and counts the rest", () => {
    const timeline = { expected: [], actual: [{ label: "a", start: 0, end: 1 }] };
    const tests = Array.from(
      { length: MAX_DIAGRAMS + 2 },
      (_, i) => test(`s${i}`, { status: "fail", message: "x", timeline }),
    );
    const md = formatMarkdown({ ...report, exercises: [{ ...exercise, tests }] });
    assert.equal(md.split("```mermaid").length - 1, MAX_DIAGRAMS);
    assert.match(md, /_2 more schedule\(s\) not drawn\._/);
  });
});
