import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatTimelines } from "../../lib/kit/timeline.ts";
import type { ExerciseResult, Report, TestResult } from "../formats/result.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { dispatch } from "./mod.ts";
import { capture } from "./testdata/capture.ts";
import { timelineReport } from "./timeline.ts";
import { testResult } from "../engine/testdata/results.ts";

const test = (name: string, over: Partial<TestResult> = {}) => testResult({ name, ...over });
const schedule = (name: string, hidden = false) =>
  test(name, {
    status: "fail",
    hidden,
    reason: "assertion",
    message: `AssertionError: the schedule differs from the expected schedule:\n${
      formatTimelines([{ label: "a", start: 0, end: 100 }], [{ label: "a", start: 0, end: 200 }])
    }`,
  });
const report = (tests: TestResult[]): Report => {
  const e: ExerciseResult = {
    id: "11",
    dir: "11_semaphore",
    slug: "semaphore",
    title: "Semaphore",
    score: 5,
    max_score: 10,
    status: "in-progress",
    tests,
    type_errors: [],
    warnings: [],
    time: 0,
  };
  return {
    mode: "submission",
    runs: [],
    exercises: [e],
    score: 5,
    max_score: 10,
    runtime: "deno",
    time: 0,
    warnings: [],
  };
};

describe("grade --timeline", () => {
  it("timelineReport() prints each failing timeline test: name, first message line, text bars", () => {
    const text = timelineReport(
      report([test("passes"), schedule("runs three at once"), schedule("wakes in order", true)]),
      { id: "11", color: false, width: 20 },
    );
    const lines = text.split("\n");
    assert.equal(lines[0], "11_semaphore: runs three at once");
    assert.equal(lines[1], "AssertionError: the schedule differs from the expected schedule:");
    assert.match(text, /^a {4}≠ expected █{10} {12}0\.\.100$/m);
    assert.match(text, /^ {7}yours {4}█{20} {2}0\.\.200 {2}<-- differs$/m);
    assert.match(text, /^11_semaphore: wakes in order \[hidden\]$/m);
    assert.ok(text.endsWith("\n"));
  });

  it("timelineReport() keeps only the tests named like --test, and counts the others", () => {
    const text = timelineReport(
      report([schedule("runs three at once"), schedule("wakes in order")]),
      { id: "11", test: "WAKES", color: false },
    );
    assert.match(text, /^11_semaphore: wakes in order$/m);
    assert.doesNotMatch(text, /runs three/);
    assert.match(text, /\(1 other failing timeline test\(s\) not matching --test\)/);
  });

  it("timelineReport() says in one line why there is nothing to draw, and how to see one", () => {
    const cases: [TestResult[], string][] = [
      [[test("passes")], "every test passes"],
      [
        [test("x", { status: "fail", message: "1 !== 2" })],
        "1 test(s) fail, none of them on a schedule",
      ],
    ];
    for (const [tests, why] of cases) {
      const text = timelineReport(report(tests), { id: "11", color: false });
      assert.equal(text.split("\n").length, 2, "one line");
      assert.ok(text.startsWith(`11_semaphore: no failing timeline test (${why}); `), text);
      assert.match(text, /assertTimeline .* grade 11 --format html --out report\.html/);
    }
    const filtered = timelineReport(report([schedule("a")]), {
      id: "11",
      test: "zzz",
      color: false,
    });
    assert.match(filtered, /\(1 failing timeline test\(s\), none named like "zzz"\)/);
  });

  it("grade --timeline refuses IDs beside it, --format, and --test without it, before grading", async () => {
    const run = async (argv: string[]) => {
      const { io, o } = capture();
      return { code: await dispatch(argv, { toolRoot: TOOL_ROOT, io }), ...o };
    };
    const both = await run(["--timeline", "11", "12"]);
    assert.equal(both.code, 2);
    assert.match(both.err, /--timeline 11 names the exercise: drop the IDs 12/);
    const format = await run(["--timeline", "11", "--format", "json"]);
    assert.equal(format.code, 2);
    assert.match(format.err, /--timeline prints text bars: it takes no --format/);
    const alone = await run(["11", "--test", "x"]);
    assert.equal(alone.code, 2);
    assert.match(alone.err, /--test goes with --timeline ID/);
    const unknown = await run(["--timeline", "99"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /Unknown exercise "99"/);
  });
});
