import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { SaxesParser } from "saxes";
import { formatJUnit, xmlSafe } from "./junit.ts";
import type { ExerciseResult, Report } from "./result.ts";
import { sampleExercise, sampleReport, sampleTest as test } from "./testdata/sample_report.ts";

const exercise = sampleExercise();
const report = sampleReport(exercise);

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

const child = (el: El, name: string) => el.children.find((c) => c.name === name);
const children = (el: El, name: string) => el.children.filter((c) => c.name === name);

describe("formatJUnit()", () => {
  it("formatJUnit() gives a visible test's testcase the line of its call, and a hidden one none", () => {
    const lined: Report = {
      ...report,
      exercises: [{
        ...exercise,
        tests: [test("a", { line: 7 }), test("b", { hidden: true, line: 9 }), test("c")],
      }],
    };
    const suite = child(strictXml(formatJUnit(lined)), "testsuite")!;
    assert.deepEqual(children(suite, "testcase").map((c) => c.attrs.line), [
      "7",
      undefined,
      undefined,
    ]);
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

  it("formatJUnit() totals tests, failures and errors of every exercise on <testsuites>", () => {
    const second: ExerciseResult = {
      ...exercise,
      id: "02",
      dir: "02_greet",
      title: "Greet",
      tests: [test("greet() fails", { status: "fail", reason: "exception", message: "boom" })],
    };
    const root = strictXml(formatJUnit({ ...report, exercises: [exercise, second] }));
    assert.deepEqual(
      [root.attrs.tests, root.attrs.failures, root.attrs.errors, root.attrs.time],
      ["5", "2", "1", "1.2"],
    );
    assert.equal(root.attrs.name, "workbook grader (bun)");
    const suites = children(root, "testsuite");
    assert.deepEqual(suites.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.skipped]), [
      ["01_add: Add <&>", "4", "0"],
      ["02_greet: Greet", "1", "0"],
    ]);
  });

  it("formatJUnit() writes each exercise's score, max_score and status as properties", () => {
    const suite = child(strictXml(formatJUnit(report)), "testsuite")!;
    const props = children(child(suite, "properties")!, "property");
    assert.deepEqual(props.map((p) => [p.attrs.name, p.attrs.value]), [
      ["score", "6"],
      ["max_score", "10"],
      ["status", "in-progress"],
    ]);
  });

  it("formatJUnit() names each case by exercise and file, with the whole message in the body", () => {
    const multi: ExerciseResult = {
      ...exercise,
      tests: [test("t", { status: "fail", reason: null, message: "first line\nsecond line" })],
    };
    const tc = child(
      child(strictXml(formatJUnit({ ...report, exercises: [multi] })), "testsuite")!,
      "testcase",
    )!;
    assert.deepEqual([tc.attrs.classname, tc.attrs.file, tc.attrs.time], [
      "01_add",
      "exercises/01_add/x.test.ts",
      "0.01",
    ]);
    const failure = child(tc, "failure")!;
    assert.equal(failure.attrs.message, "first line");
    assert.equal(failure.attrs.type, "failure", "no reason: the type says failure");
    assert.equal(failure.text, "first line\nsecond line");
  });

  it("formatJUnit() writes a passing case without failure, error or system-out", () => {
    const tc = children(child(strictXml(formatJUnit(report)), "testsuite")!, "testcase")[0]!;
    assert.equal(tc.attrs.name, "add() > adds");
    assert.deepEqual(tc.children, []);
  });
});

describe("xmlSafe()", () => {
  it("xmlSafe() removes C0 controls, lone surrogates, U+FFFE and U+FFFF, and keeps the rest", () => {
    assert.equal(xmlSafe("a\u0000b\u0001c\u000bd\u000ce\u001ff"), "abcdef");
    assert.equal(xmlSafe("tab\tnl\ncr\r"), "tab\tnl\ncr\r");
    assert.equal(xmlSafe("x\ud800y\udc00z"), "xyz");
    assert.equal(xmlSafe("pair \ud83d\ude00"), "pair \ud83d\ude00");
    assert.equal(xmlSafe("\ufffe\uffff<&>é"), "<&>é");
  });
});
