import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { countReport, FAILURE_LINES, parseJUnit } from "./junit_report.ts";

const DENO_XML = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="deno test" tests="6" failures="2" errors="0" time="0.1">
  <testsuite name="./ex/a.test.ts" tests="2" disabled="0" errors="0" failures="1">
    <testcase name="top pass" classname="./ex/a.test.ts" time="0.002" line="3" col="1"></testcase>
    <testcase name="grp" classname="./ex/a.test.ts" time="0.008" line="4" col="1"><failure message="1 test step failed">x</failure></testcase>
  </testsuite>
  <testsuite name="ext:deno_node/testing.ts" tests="4" disabled="0" errors="0" failures="1">
    <testcase name="grp &gt; inner" classname="ext:deno_node/testing.ts" time="0.000"></testcase>
    <testcase name="grp &gt; deep" classname="ext:deno_node/testing.ts" time="0.001"><failure message="Uncaught Error: not implemented: f (task 1)">Error: not implemented</failure></testcase>
    <testcase name="grp &gt; inner" classname="ext:deno_node/testing.ts" time="0.000"></testcase>
    <testcase name="grp &gt; deep" classname="ext:deno_node/testing.ts" time="0.001"></testcase>
  </testsuite>
  <testsuite name="./ex/b.hidden.ts" tests="2" disabled="0" errors="1" failures="0">
    <testcase name="top pass" classname="./ex/b.hidden.ts" time="0.002"><error message="Cancelled"/></testcase>
    <testcase name="grp" classname="./ex/b.hidden.ts" time="0.008"></testcase>
  </testsuite>
</testsuites>`;

const BUN_XML = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="bun test" tests="3" failures="1">
  <testsuite name="ex/a.test.ts" file="ex/a.test.ts" tests="3">
    <testcase name="top pass" classname="" time="0.001" file="ex/a.test.ts" line="3" />
    <testsuite name="grp" file="ex/a.test.ts" line="4">
      <testsuite name="sub" file="ex/a.test.ts" line="6">
        <testcase name="deep" classname="sub &gt; grp" time="0.0006" file="ex/a.test.ts" line="7">
          <failure type="DeadlockError" message="deadlock at t=5&#10;more">DeadlockError: deadlock at t=5</failure>
        </testcase>
      </testsuite>
    </testsuite>
  </testsuite>
</testsuites>`;

describe("parseJUnit()", () => {
  it("parseJUnit() matches Deno's shared steps back to each file in run order", () => {
    const groups = new Map([["ex/a.test.ts", new Set(["grp"])], [
      "ex/b.hidden.ts",
      new Set(["grp"]),
    ]]);
    const { verdicts, unmatched } = parseJUnit(DENO_XML, "deno", groups);
    const a = verdicts.get("ex/a.test.ts")!;
    const b = verdicts.get("ex/b.hidden.ts")!;
    assert.equal(a.get("grp > deep")!.status, "fail");
    assert.equal(a.get("grp > deep")!.message, "Error: not implemented: f (task 1)");
    assert.equal(b.get("grp > deep")!.status, "pass");
    assert.equal(b.get("top pass")!.status, "fail");
    assert.match(b.get("top pass")!.message, /^Cancelled: /);
    assert.deepEqual(unmatched, []);
  });
  it("parseJUnit() reads Deno steps split over several ext: suites", () => {
    const xml = `<testsuites>
      <testsuite name="./a.test.ts"><testcase name="G"/></testsuite>
      <testsuite name="ext:deno_node/testing.ts"><testcase name="G &gt; x"/><testcase name="G &gt; x"/></testsuite>
      <testsuite name="ext:core/01_core.js"><testcase name="G &gt; y"><failure message="Uncaught Error: boom"/></testcase></testsuite>
      <testsuite name="./b.hidden.ts"><testcase name="G"/></testsuite></testsuites>`;
    const groups = new Map([["a.test.ts", new Set(["G"])], ["b.hidden.ts", new Set(["G"])]]);
    const { verdicts, unmatched } = parseJUnit(xml, "deno", groups);
    assert.deepEqual([...verdicts.get("a.test.ts")!.keys()], ["G", "G > x", "G > y"]);
    assert.deepEqual([...verdicts.get("b.hidden.ts")!.keys()], ["G", "G > x"]);
    assert.equal(verdicts.get("a.test.ts")!.get("G > y")!.message, "Error: boom");
    assert.deepEqual(unmatched, []);
  });
  it("parseJUnit() builds Bun's full names from nested suites and prefixes the error type", () => {
    const { verdicts } = parseJUnit(BUN_XML, "bun", new Map());
    const a = verdicts.get("ex/a.test.ts")!;
    assert.deepEqual([...a.keys()], ["top pass", "grp > sub > deep"]);
    assert.equal(a.get("grp > sub > deep")!.message, "DeadlockError: deadlock at t=5\nmore");
  });
  it("parseJUnit() returns no verdicts for an empty or truncated report", () => {
    assert.equal(parseJUnit("", "bun", new Map()).verdicts.size, 0);
    assert.doesNotThrow(() => parseJUnit(BUN_XML.slice(0, 200), "bun", new Map()));
  });
  it("countReport() counts leaves only, on both runtimes", () => {
    assert.deepEqual(
      { ...countReport(DENO_XML, "deno"), failures: [] },
      { passed: 4, failed: 2, failures: [] },
    );
    assert.equal(countReport(BUN_XML, "bun").failed, 1);
    assert.equal(countReport(BUN_XML, "bun").passed, 1);
  });
  it("countReport() keeps the first FAILURE_LINES lines of a failure's message, indented, and says how many more", () => {
    assert.deepEqual(countReport(BUN_XML, "bun").failures, [
      "ex/a.test.ts: grp > sub > deep: DeadlockError: deadlock at t=5\n      more",
    ]);
    const long = Array.from({ length: FAILURE_LINES + 3 }, (_, i) => `line ${i}`).join("&#10;");
    const [f] = countReport(BUN_XML.replace("deadlock at t=5&#10;more", long), "bun").failures;
    const lines = f!.split("\n");
    assert.equal(lines.length, FAILURE_LINES + 1);
    assert.equal(lines.at(-2), `      line ${FAILURE_LINES - 1}`);
    assert.equal(lines.at(-1), "      (3 more lines)");
  });
});
