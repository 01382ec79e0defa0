/**
 * Tests of `npm run mutate` that need no Stryker run: reading Stryker's JSON report, and the stryker.json summary.
 *
 * Run: `bun test grader/stryker` or `deno test -A grader/stryker`.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asReport, clip, countMutants, oneLine, readMutants, sliceSource } from "./report.ts";
import { buildSummary, formatSummary, writeSummary } from "./summary.ts";
import { entry, mutant } from "./testdata.ts";

/** A small report: three mutants of lock.ts (killed, survived, timeout), out of order. */
const REPORT = {
  schemaVersion: "1.0",
  files: {
    "exercises/08_lock/lock.ts": {
      source: "const x = 1;\nif (a   >\n b) go();\n",
      mutants: [
        {
          id: "2",
          mutatorName: "EqualityOperator",
          replacement: "a >= b",
          status: "Killed",
          location: {
            start: { line: 2, column: 5 },
            end: { line: 3, column: 3 },
          },
        },
        {
          id: "1",
          mutatorName: "ConditionalExpression",
          replacement: "true",
          status: "Survived",
          location: {
            start: { line: 2, column: 5 },
            end: { line: 3, column: 3 },
          },
        },
        {
          id: "3",
          mutatorName: "BlockStatement",
          replacement: "{}",
          status: "Timeout",
          location: {
            start: { line: 3, column: 5 },
            end: { line: 3, column: 10 },
          },
        },
      ],
    },
  },
};

describe("report", () => {
  it("sliceSource() cuts by 1-based line and column, end exclusive; oneLine() and clip()", () => {
    assert.equal(
      sliceSource("ab\ncdef", { line: 2, column: 2 }, { line: 2, column: 4 }),
      "de",
    );
    assert.equal(oneLine(" a \n\t b "), "a b");
    assert.equal(clip("abcdefgh", 6), "abc...");
    assert.equal(clip("abc", 6), "abc");
  });

  it("readMutants() flattens in line order with original text and exercise-relative files", () => {
    const m = readMutants(asReport(REPORT), "exercises/08_lock/");
    assert.deepEqual(
      m.map((
        x,
      ) => [
        x.file,
        x.line,
        x.column,
        x.mutator,
        x.original,
        x.replacement,
        x.status,
      ]),
      [
        ["lock.ts", 2, 5, "ConditionalExpression", "a > b", "true", "Survived"],
        ["lock.ts", 2, 5, "EqualityOperator", "a > b", "a >= b", "Killed"],
        ["lock.ts", 3, 5, "BlockStatement", "go();", "{}", "Timeout"],
      ],
    );
    assert.deepEqual(countMutants(m), {
      total: 3,
      killed: 1,
      survived: 1,
      timeout: 1,
      no_coverage: 0,
      runtime_error: 0,
      compile_error: 0,
      ignored: 0,
    });
  });

  it("asReport() refuses what is not a version-1 report", () => {
    assert.throws(() => asReport(null), TypeError);
    assert.throws(() => asReport({ schemaVersion: "2", files: {} }), TypeError);
    assert.throws(
      () => asReport({ schemaVersion: "1", files: { "a.ts": { mutants: [] } } }),
      TypeError,
    );
  });
});

describe("summary", () => {
  const input = {
    exercise: "08_lock",
    mutated: ["lock.ts"],
    inputs: "0".repeat(64),
    seconds: 12.34,
    runtime: "bun",
    tools: { stryker: "10.1.1", node: "22.23.5", bun: "1.4.4" },
    date: new Date("2026-01-02T03:04:05Z"),
    mutants: [
      ...Array.from({ length: 7 }, () => mutant({ status: "Killed" })),
      mutant({ status: "Timeout" }),
      mutant({ status: "RuntimeError" }),
      mutant({ line: 20 }),
      mutant({
        line: 40,
        status: "NoCoverage",
        mutator: "StringLiteral",
        original: '"x"',
        replacement: '""',
      }),
    ],
    equivalents: [
      entry({ line: 21 }),
      entry({ line: 99, mutator: "BooleanLiteral", replacement: "false" }),
    ],
  };

  it("buildSummary() scores without the recorded equivalents and keeps Stryker's own score", () => {
    const s = buildSummary(input);
    assert.equal(s.counts.total, 11);
    assert.equal(s.counts.equivalent, 1);
    assert.equal(
      s.stryker_score,
      80,
      "8 detected of 10 scored (the runtime error is not scored)",
    );
    assert.equal(
      s.score,
      88.89,
      "8 of 9 once the equivalent survivor is left out",
    );
    assert.deepEqual(s.survivors.map((v) => [v.line, v.status, v.equivalent]), [
      [20, "Survived", "only reached when a > b anyway"],
      [40, "NoCoverage", null],
    ]);
    assert.deepEqual(s.stale_equivalent.map((e) => e.line), [99]);
    assert.equal(s.date, "2026-01-02T03:04:05.000Z");
    assert.equal(s.seconds, 12.3);
    assert.equal(
      buildSummary({ ...input, mutants: [], equivalents: [] }).score,
      null,
    );
  });

  it("writeSummary() writes indented JSON that reads back; formatSummary() prints file:line:col lines", () => {
    const s = buildSummary(input);
    const dir = mkdtempSync(join(tmpdir(), "mutate-test-"));
    try {
      writeSummary(join(dir, "stryker.json"), s);
      const text = readFileSync(join(dir, "stryker.json"), "utf8");
      assert.ok(
        text.endsWith("}\n") && text.includes('\n  "schema_version": 1,'),
      );
      assert.deepEqual(JSON.parse(text), s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const lines = formatSummary(s, "solutions/08_lock/");
    assert.match(
      lines[0]!,
      /^08_lock: mutation score 88\.89% \(11 mutants: 7 killed, 1 survived, 1 timeout, 1 no coverage, 1 equivalent; Stryker's score 80\.00%\)/,
    );
    assert.ok(
      lines.includes(
        "  equivalent solutions/08_lock/lock.ts:20:5 ConditionalExpression: a > b -> true  [equivalent: only reached when a > b anyway]",
      ),
    );
    assert.ok(
      lines.includes(
        '  survived   solutions/08_lock/lock.ts:40:5 StringLiteral: "x" -> "" [NoCoverage]',
      ),
    );
    assert.ok(
      lines.some((l) =>
        l.startsWith("  STALE equivalent entry") &&
        l.includes("lock.ts:99 BooleanLiteral -> false")
      ),
    );
    assert.ok(
      lines.some((l) => l.includes('"line":40') && l.includes('"why":"TODO"')),
    );
  });
});
