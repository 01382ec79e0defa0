import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatPrettyFull } from "./failure.ts";
import { loadFrame } from "./located.ts";
import { formatReport, FORMATS } from "./mod.ts";
import type { ExerciseResult, Report, TestResult } from "./result.ts";

const PLACE = "exercises/01_add/add.ts:4:2: Unexpected }";
const LINE = "  4 | }}";
const CARET = "    |  ^";
const LOADED =
  `crash: the test file did not load: ${PLACE}\n${LINE}\n${CARET}\nerror: Unexpected }`;

const test = (over: Partial<TestResult>): TestResult => ({
  name: "add() adds",
  file: "add.test.ts",
  hidden: false,
  status: "error",
  message: LOADED,
  output: "",
  reason: "crash",
  weight: 1,
  time: 0,
  ...over,
});

const exercise: ExerciseResult = {
  id: "01",
  dir: "01_add",
  slug: "add",
  title: "Add",
  score: 0,
  max_score: 10,
  status: "in-progress",
  reason: `crash: add.test.ts did not load: ${PLACE}`,
  tests: [test({}), test({ name: "add() adds zero", file: "add.hidden.ts", hidden: true })],
  type_errors: [],
  warnings: [],
  time: 0.1,
};
const report: Report = {
  mode: "submission",
  runs: [{ runtime: "deno", score: 0, max_score: 10, exercises: [exercise], time: 1 }],
  exercises: [exercise],
  score: 0,
  max_score: 10,
  runtime: "deno",
  time: 1,
  warnings: [],
};

describe("loadFrame()", () => {
  it("loadFrame() reads the place and the quoted line back from a test's message, with a runtime's tag", () => {
    assert.deepEqual(loadFrame(exercise), { place: PLACE, source: `${LINE}\n${CARET}` });
    const both = { ...exercise, tests: [test({ message: `[bun] ${LOADED}` })] };
    assert.deepEqual(loadFrame(both), { place: PLACE, source: `${LINE}\n${CARET}` });
    const hidden = {
      ...exercise,
      tests: [test({
        message:
          "crash: the test file did not load: exercises/01_add/add.hidden.ts:3:1: Boom\n  (a line of a hidden test, withheld)\nmore",
      })],
    };
    assert.deepEqual(loadFrame(hidden), {
      place: "exercises/01_add/add.hidden.ts:3:1: Boom",
      source: "  (a line of a hidden test, withheld)",
    });
  });

  it("loadFrame() is null without a located load error", () => {
    assert.equal(
      loadFrame({ ...exercise, tests: [test({ message: "AssertionError: 1 !== 2" })] }),
      null,
    );
    assert.equal(
      loadFrame({
        ...exercise,
        tests: [test({ message: "crash: the test file did not load: Error: at an unknown place" })],
      }),
      null,
    );
  });

  it("every format shows a load error's file:line:column and its offending line", () => {
    for (const format of FORMATS) {
      // The terminal's pretty report is formatPrettyFull (what `grade` prints); the others as named.
      const text = format === "pretty"
        ? formatPrettyFull(report, false)
        : formatReport(report, format, { color: false, hiddenVisibility: "hidden" });
      // JSON-based formats escape newlines: compare on the decoded strings.
      const shown = format === "json" || format === "gradescope" || format === "classroom" ||
          format === "exercism"
        ? JSON.stringify(JSON.parse(text)).replaceAll("\\n", "\n")
        : format === "markdown"
        ? text.replace(/\\(.)/g, "$1")
        : text;
      assert.ok(shown.includes("exercises/01_add/add.ts:4:2"), `${format} names the place`);
      assert.ok(shown.includes("4 | }}"), `${format} shows the offending line:\n${shown}`);
    }
  });

  it("Gradescope's summary, which students always see, shows the offending line once per exercise", () => {
    const out = JSON.parse(formatReport(report, "gradescope", {
      color: false,
      hiddenVisibility: "hidden",
    })).output as string;
    assert.equal(
      out,
      `Total 0/10 (deno)\n01_add: 0/10 (in-progress) - crash: add.test.ts did not load: ${PLACE}\n${LINE}\n${CARET}`,
    );
  });

  it("Markdown shows the place and the line once per exercise, in a fence", () => {
    const md = formatReport(report, "markdown", { color: false, hiddenVisibility: "hidden" });
    assert.match(
      md,
      /- \*\*01\\_add\*\* did not load: exercises\/01\\_add\/add\\\.ts:4:2: Unexpected \\\}/,
    );
    assert.ok(md.includes(`\n  \`\`\`text\n  ${LINE}\n  ${CARET}\n  \`\`\`\n`), md);
    assert.equal(md.split("4 | }}").length - 1, 1, "once");
  });
});
