import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { discoverExercises } from "../engine/discover.ts";
import { grade } from "../engine/grade.ts";
import { currentRuntime } from "../engine/runtimes.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { makeWorkbook } from "../fixtures/fixtures.ts";
import { formatClassroom, toClassroom } from "./classroom.ts";
import type { ExerciseResult } from "./result.ts";
import {
  sampleExercise,
  sampleReport,
  sampleTest,
  sampleTest as test,
} from "./testdata/sample_report.ts";

const exercise = sampleExercise([
  sampleTest("add() > adds", {
    line: 5,
    test_code: 'it("adds", () => {\n  assert.equal(add(1, 2), 3);\n})',
  }),
  sampleTest("add() > adds negatives", {
    status: "fail",
    message: "AssertionError: 1 !== 2",
    reason: "assertion",
    output: "printed\n",
    line: 8,
  }),
  sampleTest("add() adds zero", {
    hidden: true,
    weight: 2,
    file: "x.hidden.ts",
    line: 12,
    test_code: "it('adds zero', ...)",
  }),
  sampleTest("loops", {
    hidden: true,
    status: "error",
    reason: "cpu-loop",
    message: "CPU loop / no progress: killed after 30 s",
  }),
]);
const report = sampleReport(exercise);

describe("toClassroom()", () => {
  it("toClassroom() writes the reporter's shape: version, status, max_score, tests[] with status pass", () => {
    const c = toClassroom(report);
    assert.equal(c.version, 1);
    assert.equal(c.status, "fail");
    assert.equal(c.max_score, 10);
    assert.deepEqual(c.tests.map((t) => t.status), ["pass", "fail", "pass", "error"]);
    for (const t of c.tests) {
      for (
        const k of [
          "name",
          "status",
          "message",
          "test_code",
          "filename",
          "line_no",
          "execution_time",
        ]
      ) assert.ok(k in t, k);
    }
    assert.equal(c.tests[2]!.test_code, "", "hidden tests never show code");
    assert.equal(c.tests[0]!.test_code, 'it("adds", () => {\n  assert.equal(add(1, 2), 3);\n})');
    assert.equal(c.tests[1]!.test_code, "", "no code known: empty");
  });

  it("toClassroom() gives each visible test of a graded workbook its code and the line of its it() call", async () => {
    const wb = makeWorkbook();
    try {
      const r = await grade({
        toolRoot: TOOL_ROOT,
        pristineRoot: wb.path,
        submissionRoot: wb.path,
        exercises: discoverExercises(wb.path),
        mode: "solutions",
        runtimes: [currentRuntime() ?? "bun"],
        typeCheck: false,
      });
      const c = toClassroom(r);
      const visible = c.tests.filter((t) => t.filename.endsWith(".test.ts"));
      assert.ok(visible.length >= 4);
      for (const t of visible) {
        const lines = readFileSync(join(wb.path, t.filename), "utf8").split("\n");
        const title = t.name.slice(t.name.indexOf(": ") + 2).split(" > ").pop()!;
        const at = lines.findIndex((l) =>
          /\b(it|test)\(/.test(l) && l.includes(JSON.stringify(title))
        );
        assert.ok(at >= 0, `${t.name} is declared in ${t.filename}`);
        assert.equal(t.line_no, at + 1, t.name);
        assert.ok(t.test_code.startsWith(lines[at]!.trim()), `${t.name}: ${t.test_code}`);
      }
      for (const t of c.tests.filter((t) => t.filename.endsWith(".hidden.ts"))) {
        assert.deepEqual([t.test_code, t.line_no], ["", 0], t.name);
      }
    } finally {
      wb.cleanup();
    }
  });

  it("toClassroom() says pass only when every test passed, and error when nothing was graded", () => {
    const allPass: ExerciseResult = {
      ...exercise,
      score: 10,
      tests: [test("a"), test("b")],
    };
    assert.equal(toClassroom({ ...report, exercises: [allPass] }).status, "pass");
    const none = toClassroom({ ...report, exercises: [], max_score: 0 });
    assert.equal(none.status, "error");
    assert.deepEqual(none.tests, []);
  });

  it("toClassroom() names each test by exercise and points at its file", () => {
    const c = toClassroom(report);
    assert.deepEqual(c.tests.map((t) => [t.name, t.filename]), [
      ["01_add: add() > adds", "exercises/01_add/x.test.ts"],
      ["01_add: add() > adds negatives", "exercises/01_add/x.test.ts"],
      ["01_add: add() adds zero", "exercises/01_add/x.hidden.ts"],
      ["01_add: loops", "exercises/01_add/x.test.ts"],
    ]);
    assert.deepEqual(c.tests.map((t) => t.line_no), [5, 8, 0, 0], "hidden tests show no line");
    assert.deepEqual(c.tests.map((t) => t.execution_time), ["0.01s", "0.01s", "0.01s", "0.01s"]);
  });

  it("toClassroom() prefixes a failure's message with its reason and leaves a pass's empty", () => {
    const c = toClassroom(report);
    assert.deepEqual(c.tests.map((t) => t.message), [
      "",
      "[assertion] AssertionError: 1 !== 2",
      "",
      "[cpu-loop] CPU loop / no progress: killed after 30 s",
    ]);
    const noReason = toClassroom({
      ...report,
      exercises: [{ ...exercise, tests: [test("x", { status: "fail", message: "boom" })] }],
    });
    assert.equal(noReason.tests[0]!.message, "boom");
  });

  it("toClassroom() gives passing tests their weighted share, and none when the exercise scored 0", () => {
    // Weights 1, 1, 2, 1 share 10 points: 2, 2, 4, 2.
    assert.deepEqual(toClassroom(report).tests.map((t) => t.score), [2, 0, 4, 0]);
    const zero = toClassroom({ ...report, exercises: [{ ...exercise, score: 0 }] });
    assert.deepEqual(zero.tests.map((t) => t.score), [0, 0, 0, 0]);
  });
});

describe("formatClassroom()", () => {
  it("formatClassroom() writes toClassroom()'s document as JSON ending with a newline", () => {
    const text = formatClassroom(report);
    assert.ok(text.endsWith("}\n"));
    assert.deepEqual(JSON.parse(text), toClassroom(report));
  });
});
