import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { toClassroom } from "./classroom.ts";
import { toGradescope } from "./gradescope.ts";
import { toJsonObject } from "./json.ts";
import { formatJUnit } from "./junit.ts";
import { formatMarkdown } from "./markdown.ts";
import { formatPretty } from "./pretty.ts";
import type { ExerciseResult, Report, TestResult } from "./result.ts";
import { SaxesParser } from "saxes";

const test = (name: string, over: Partial<TestResult> = {}): TestResult => ({
  name,
  file: "x.test.ts",
  hidden: false,
  status: "pass",
  message: "",
  output: "",
  reason: null,
  weight: 1,
  time: 0.01,
  ...over,
});

const exercise: ExerciseResult = {
  id: "01",
  dir: "01_add",
  slug: "add",
  title: "Add <&>",
  score: 6,
  max_score: 10,
  status: "in-progress",
  tests: [
    test("add() > adds"),
    test("add() > adds negatives", {
      status: "fail",
      message: "AssertionError: 1 !== 2",
      reason: "assertion",
      output: "printed\n",
    }),
    test("add() adds zero", { hidden: true, weight: 2 }),
    test("loops", {
      hidden: true,
      status: "error",
      reason: "cpu-loop",
      message: "CPU loop / no progress: killed after 30 s",
    }),
  ],
  type_errors: [{ file: "exercises/01_add/add.ts", line: 2, column: 9, message: "TS2322: nope" }],
  warnings: [],
  time: 0.04,
};
const report: Report = {
  mode: "submission",
  runs: [{ runtime: "bun", score: 6, max_score: 10, exercises: [exercise], time: 1.2 }],
  exercises: [exercise],
  score: 6,
  max_score: 10,
  runtime: "bun",
  time: 1.2,
  warnings: [],
};

describe("output formats match their consumers' shapes", () => {
  it("toJsonObject() writes schema version 1 with the documented fields", () => {
    // deno-lint-ignore no-explicit-any -- the test walks the JSON the way a consumer would
    const j = toJsonObject(report) as Record<string, any>;
    assert.equal(j.schema_version, 1);
    for (const k of ["score", "max_score", "runtime", "exercises"]) assert.ok(k in j, k);
    const e = j.exercises[0];
    for (const k of ["id", "slug", "title", "score", "max_score", "status", "tests"]) {
      assert.ok(k in e, k);
    }
    for (const t of e.tests) {
      for (const k of ["name", "status", "hidden", "message", "output", "reason"]) {
        assert.ok(k in t, k);
      }
      assert.ok(["pass", "fail", "error"].includes(t.status));
    }
  });

  it("toGradescope() writes results.json: score, execution_time, output, tests with visibility", () => {
    const g = toGradescope(report);
    assert.equal(typeof g.score, "number");
    assert.equal(typeof g.execution_time, "number");
    assert.equal(typeof g.output, "string");
    for (const t of g.tests) {
      assert.equal(typeof t.score, "number");
      assert.equal(typeof t.max_score, "number");
      assert.ok(t.status === "passed" || t.status === "failed");
      assert.equal(typeof t.name, "string");
      assert.equal(typeof t.output, "string");
      assert.ok(["hidden", "after_due_date", "after_published", "visible"].includes(t.visibility));
    }
    assert.deepEqual(g.tests.map((t) => t.visibility), ["visible", "visible", "hidden", "hidden"]);
    const sum = g.tests.reduce((s, t) => s + t.score, 0);
    assert.ok(Math.abs(sum - g.score) < 0.05, `test scores ${sum} add up to ${g.score}`);
    assert.deepEqual(
      toGradescope(report, "after_published").tests.map((t) => t.visibility).slice(2),
      ["after_published", "after_published"],
    );
    assert.match(g.output, /type error exercises\/01_add\/add.ts:2:9/);
  });

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
  });

  it("formatJUnit() writes well-formed JUnit with matching counts", () => {
    const root = strictXml(formatJUnit(report));
    assert.equal(root.name, "testsuites");
    const suite = root.children.find((c) => c.name === "testsuite")!;
    assert.equal(suite.attrs.name, "01_add: Add <&>");
    const cases = suite.children.filter((c) => c.name === "testcase");
    assert.equal(cases.length, 4);
    assert.equal(suite.attrs.failures, "1");
    assert.equal(suite.attrs.errors, "1");
    assert.equal(cases[1]!.children.find((c) => c.name === "failure")!.attrs.type, "assertion");
    assert.equal(cases[1]!.children.find((c) => c.name === "system-out")!.text, "printed\n");
    assert.ok(cases[3]!.children.some((c) => c.name === "error"));
  });

  it("formatJUnit() stays well-formed with hostile names, messages and output", () => {
    const nasty = "a\u0000b\u0008c ]]> <x/> & \" ' \ud800 \u001b[31m \uffff end";
    const hostile: Report = {
      ...report,
      exercises: [{
        ...exercise,
        title: nasty,
        tests: [
          test(nasty, { status: "fail", message: nasty, output: nasty, reason: "assertion" }),
        ],
      }],
    };
    const root = strictXml(formatJUnit(hostile));
    const tc = root.children.find((c) => c.name === "testsuite")!.children.find((c) =>
      c.name === "testcase"
    )!;
    assert.equal(
      tc.attrs.name,
      "abc ]]> <x/> & \" '  \u001b[31m  end".replace("\u001b", ""),
      "markup survives as text; what XML cannot hold is removed",
    );
  });

  it("formatMarkdown() writes a heading, a table and the failing tests", () => {
    const md = formatMarkdown(report);
    assert.match(md, /^## Workbook grade: 6 \/ 10/);
    assert.match(md, /\| Exercise \| Score \| Status \| Tests passed \|/);
    assert.match(md, /\| 01_add: Add <&> \| 6 \/ 10 \| in-progress \| 2 \/ 4 \|/);
    assert.match(md, /`cpu-loop`/);
  });

  it("formatPretty() colours only when asked", () => {
    assert.ok(!formatPretty(report, { color: false }).includes("\x1b["));
    assert.ok(formatPretty(report, { color: true }).includes("\x1b["));
    assert.match(formatPretty(report, { color: false }), /\[cpu-loop\] CPU loop \/ no progress/);
  });
});

interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

/** Parses XML with saxes, a strict parser independent of the grader: it throws on any malformation. */
function strictXml(xml: string): El {
  const parser = new SaxesParser();
  const stack: El[] = [{ name: "#doc", attrs: {}, children: [], text: "" }];
  parser.on("error", (e) => {
    throw e;
  });
  parser.on("opentag", (t) => {
    const el: El = {
      name: t.name,
      attrs: t.attributes as Record<string, string>,
      children: [],
      text: "",
    };
    stack.at(-1)!.children.push(el);
    if (!t.isSelfClosing) stack.push(el);
  });
  parser.on("closetag", (t) => {
    if (!t.isSelfClosing) stack.pop();
  });
  parser.on("text", (t) => (stack.at(-1)!.text += t));
  parser.write(xml).close();
  return stack[0]!.children[0]!;
}
