import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { capOutput, captureOutput, splitClockReport } from "./capture.ts";
import { classifyMessage } from "./classify.ts";
import { countReport, parseJUnit } from "./junit_report.ts";
import { extractTests } from "./testnames.ts";
import { parseDenoCheck } from "./typecheck.ts";
import { runnerArgs } from "./runner.ts";
import { parseXml } from "./xml.ts";

describe("extractTests()", () => {
  it("extractTests() gives each test the span of its whole call", () => {
    const src =
      'describe("g", () => {\n  it("a (x)", () => { f(")"); });\n  it("b", async () => {});\n});\n';
    const { tests } = extractTests(src);
    const a = tests.find((t) => t.name === "g > a (x)")!;
    assert.equal(src.slice(a.start, a.end), 'it("a (x)", () => { f(")"); })');
    const g = tests.find((t) => t.name === "g")!;
    assert.equal(src.slice(g.start, g.end), src.trimEnd().replace(/;$/, ""));
  });

  it("extractTests() nests it() inside describe() by call parentheses", () => {
    const src = `
      import { describe, it } from "node:test";
      describe("outer", () => {
        it("a", () => {});
        describe('inner', () => { it(\`b\`, async () => { await f({ x: "}" }); }); });
      });
      it("top", () => {});`;
    assert.deepEqual(extractTests(src).tests.map((t) => [t.name, t.group]), [
      ["outer", true],
      ["outer > a", false],
      ["outer > inner", true],
      ["outer > inner > b", false],
      ["top", false],
    ]);
  });
  it("extractTests() ignores calls inside strings, templates, comments and regexes", () => {
    const src = [
      `// it("in a comment", () => {})`,
      `/* describe("block", () => {}) */`,
      `const s = "it('in a string')"; const r = /it\\("x"\\)/;`,
      'const t = `describe("tpl") ${it}`;',
      `it("real", () => { const re = /[)(]/g; });`,
    ].join("\n");
    assert.deepEqual(extractTests(src).tests.map((t) => t.name), ["real"]);
  });
  it("extractTests() reports calls whose name is not a literal", () => {
    const r = extractTests(`for (const n of xs) it(n, () => {}); it(\`a \${1}\`, () => {});`);
    assert.equal(r.nonLiteral.length, 2);
    assert.equal(r.tests.length, 0);
  });
  it("extractTests() skips it.skip and keeps it.only", () => {
    assert.deepEqual(
      extractTests(`it.skip("s", () => {}); it.only("o", () => {});`).tests.map((t) => t.name),
      ["o"],
    );
  });
});

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
});

describe("xml, capture, classify, typecheck parsing", () => {
  it("parseXml() decodes entities and CDATA", () => {
    const el = parseXml(`<a x="1 &amp; 2"><b><![CDATA[<raw>]]></b>&#65;&#x42;</a>`)!;
    assert.equal(el.attrs.x, "1 & 2");
    assert.equal(el.children[0]!.text, "<raw>");
    assert.equal(el.text, "AB");
  });
  it("captureOutput() attributes Deno output to the nested test that printed it", () => {
    const out = [
      "running 2 tests from ./ex/a.test.ts",
      "grp ...",
      "  inner ...",
      "------- output -------",
      "hello",
      "----- output end -----",
      "  inner ... ok (1ms)",
    ].join("\n");
    assert.equal(captureOutput(out, "deno").get("ex/a.test.ts")!.get("grp > inner"), "hello\n");
  });
  it("captureOutput() attributes Bun output and drops its failure excerpt", () => {
    const out = [
      "ex/a.test.ts:",
      "printed",
      "7 |   it(...)",
      "error: boom",
      "(fail) grp > deep [0.65ms]",
    ].join("\n");
    assert.equal(captureOutput(out, "bun").get("ex/a.test.ts")!.get("grp > deep"), "printed\n");
  });
  it("capOutput() cuts long output with a visible note", () => {
    const s = capOutput("x".repeat(5000), 4096);
    assert.match(s, /\[output truncated: 904 bytes cut\]$/);
  });
  it("classifyMessage() maps the clock's errors and the stub's TODO error", () => {
    assert.equal(classifyMessage("Error: not implemented: crawl (task 1)"), "not-started");
    assert.equal(classifyMessage("DeadlockError: deadlock at t=1"), "deadlock");
    assert.equal(classifyMessage("LeakedTimersError: 1 timer"), "leaked-timers");
    assert.equal(classifyMessage("UnhandledRejectionError: lost"), "unhandled-rejection");
    assert.equal(classifyMessage("Uncaught Error: late boom"), "unhandled-rejection");
    assert.equal(classifyMessage("Uncaught AssertionError: 1 !== 2"), "assertion");
    assert.equal(classifyMessage("Uncaught Error: not implemented: f (task 1)"), "not-started");
    assert.equal(classifyMessage("Error: Unhandled error between tests"), "unhandled-rejection");
    assert.equal(classifyMessage("RunawayError: 10000 timers"), "time-budget");
    assert.equal(classifyMessage("AssertionError: 1 !== 2"), "assertion");
    assert.equal(classifyMessage("TypeError: x is not a function"), "exception");
  });
  it("parseDenoCheck() reads file, line, column and message", () => {
    const text =
      "Check ex/bad.ts\nTS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\nexport const x: number = \"s\";\n             ^\n    at file:///ws/ex/bad.ts:1:14\n";
    assert.deepEqual(parseDenoCheck(text, "/ws"), [
      {
        file: "ex/bad.ts",
        line: 1,
        column: 14,
        message: "TS2322: Type 'string' is not assignable to type 'number'.",
      },
    ]);
  });
});

describe("splitClockReport()", () => {
  it("splitClockReport() sums the virtual time of a test's clock runs and removes their lines", () => {
    const out =
      'fetching a\n##workbook-clock {"virtualMs":2000,"timers":4}\n##workbook-clock {"virtualMs":500,"timers":1}\n';
    assert.deepEqual(splitClockReport(out), { output: "fetching a\n", virtualMs: 2500 });
  });

  it("splitClockReport() leaves output without clock lines untouched", () => {
    assert.deepEqual(splitClockReport("plain\n"), { output: "plain\n" });
  });

  it("splitClockReport() keeps a malformed clock line as output", () => {
    assert.deepEqual(splitClockReport("##workbook-clock {oops}"), {
      output: "##workbook-clock {oops}",
    });
  });
});

describe("runnerArgs()", () => {
  const base = {
    runtime: "deno" as const,
    bin: "deno",
    ws: "/w",
    nodeModules: "/nm",
    reportFile: "/r/report.xml",
    files: ["exercises/01_a/a.test.ts"],
    timeoutMs: 1000,
    testTimeoutMs: 1000,
    stallMs: 0,
    groups: new Map(),
  };

  it("runnerArgs() gives Deno tests no read permission by default", () => {
    const args = runnerArgs(base);
    assert.ok(!args.some((a) => a.startsWith("--allow-read")), args.join(" "));
    assert.ok(args.includes("--no-prompt") && args.includes("--allow-env=WORKBOOK_CLOCK_REPORT"));
  });

  it("runnerArgs() lets Deno tests read only the listed paths and node_modules", () => {
    const args = runnerArgs({ ...base, readable: ["exercises/18_x/worker.ts", "lib"] });
    assert.ok(args.includes("--allow-read=/w/exercises/18_x/worker.ts,/w/lib,/nm"), args.join(" "));
  });
});
