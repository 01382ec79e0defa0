import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MutantRecord } from "./report.ts";
import type { EquivalentEntry } from "./equivalent.ts";
import {
  buildSummary,
  formatSummary,
  type StrykerSummary,
  SUMMARY_VERSION,
  type SummaryInput,
  writeSummary,
} from "./summary.ts";
import { entry, mutant } from "./testdata.ts";

/** A summary input for 08_lock with the given mutants and equivalents. */
function input(
  mutants: MutantRecord[],
  equivalents: EquivalentEntry[] = [],
  over: Partial<SummaryInput> = {},
): SummaryInput {
  return {
    exercise: "08_lock",
    mutants,
    equivalents,
    mutated: ["lock.ts"],
    inputs: "ab".repeat(32),
    seconds: 3,
    runtime: "bun",
    tools: { stryker: "9.0.0" },
    date: new Date("2026-05-06T07:08:09.010Z"),
    ...over,
  };
}

/** A survivor entry on one line. */
const shown = (v: StrykerSummary["survivors"][number]) =>
  `${v.file}:${v.line}:${v.column} ${v.mutator} ${v.original} -> ${v.replacement} ${v.status} ${v.equivalent}`;

/** The fields of a survivor entry, in order. */
const FIELDS = "file,line,column,mutator,original,replacement,status,equivalent";

/** `n` killed mutants. */
const killed = (n: number) => Array.from({ length: n }, () => mutant({ status: "Killed" }));

describe("buildSummary()", () => {
  it("buildSummary() copies the run's facts, with the date in ISO UTC and seconds to a tenth", () => {
    const tools = { stryker: "9.0.0", node: "22.0.0" };
    const mutated = ["lock.ts", "given.ts"];
    const s = buildSummary(
      input(killed(1), [], { seconds: 61.26, tools, mutated }),
    );
    assert.equal(s.schema_version, SUMMARY_VERSION);
    assert.equal(s.exercise, "08_lock");
    assert.equal(s.date, "2026-05-06T07:08:09.010Z");
    assert.equal(s.seconds, 61.3);
    assert.equal(s.runtime, "bun");
    assert.equal(s.inputs, "ab".repeat(32));
    tools.node = "changed";
    mutated.push("other.ts");
    assert.equal(s.tools.node, "22.0.0", "a copy, not the input");
    assert.deepEqual(s.mutated, ["lock.ts", "given.ts"]);
  });

  it("buildSummary() scores killed and timed-out mutants as detected, to two decimals", () => {
    const s = buildSummary(
      input([
        ...killed(1),
        mutant({ status: "Timeout" }),
        mutant({ line: 30 }),
      ]),
    );
    assert.equal(s.score, 66.67);
    assert.equal(s.stryker_score, 66.67);
    assert.equal(buildSummary(input(killed(3))).score, 100);
    assert.equal(
      buildSummary(input([mutant({}), mutant({ line: 40 })])).score,
      0,
    );
  });

  it("buildSummary() leaves runtime errors, compile errors and ignored mutants out of both scores", () => {
    const s = buildSummary(input([
      ...killed(1),
      mutant({ status: "RuntimeError" }),
      mutant({ status: "CompileError" }),
      mutant({ status: "Ignored" }),
    ]));
    assert.deepEqual([s.score, s.stryker_score], [100, 100]);
    assert.equal(
      Object.entries(s.counts).map(([k, n]) => `${k}=${n}`).join(" "),
      "total=4 killed=1 survived=0 timeout=0 no_coverage=0 runtime_error=1 " +
        "compile_error=1 ignored=1 equivalent=0",
    );
  });

  it("buildSummary() gives null scores when no mutant can be scored", () => {
    for (const mutants of [[], [mutant({ status: "RuntimeError" })]]) {
      const s = buildSummary(input(mutants));
      assert.deepEqual([s.score, s.stryker_score], [null, null]);
    }
    const onlyEquivalent = buildSummary(input([mutant({})], [entry({})]));
    assert.equal(onlyEquivalent.score, null);
    assert.equal(onlyEquivalent.stryker_score, 0);
  });

  it("buildSummary() lists Survived and NoCoverage mutants in the order given, with their reason when equivalent", () => {
    const s = buildSummary(input(
      [
        mutant({ line: 10, status: "NoCoverage" }),
        mutant({ status: "Killed", line: 15 }),
        mutant({ line: 20, column: 7 }),
      ],
      [entry({ line: 20, why: "same either way" })],
    ));
    assert.deepEqual(s.survivors.map(shown), [
      "lock.ts:10:5 ConditionalExpression a > b -> true NoCoverage null",
      "lock.ts:20:7 ConditionalExpression a > b -> true Survived same either way",
    ]);
    assert.deepEqual(Object.keys(s.survivors[0]!).join(), FIELDS);
    assert.equal(s.counts.equivalent, 1);
    assert.equal(
      s.score,
      50,
      "1 detected of 2 once the equivalent is left out",
    );
    assert.equal(s.stryker_score, 33.33);
  });

  it("buildSummary() lets one recorded entry explain one survivor only", () => {
    const s = buildSummary(
      input([mutant({}), mutant({ column: 9 })], [entry({})]),
    );
    assert.deepEqual(s.survivors.map((v) => v.equivalent), [
      "only reached when a > b anyway",
      null,
    ]);
    assert.equal(s.counts.equivalent, 1);
  });

  it("buildSummary() lists entries that match no survivor as stale, a killed mutant's too", () => {
    const stale = entry({
      line: 60,
      mutator: "BlockStatement",
      replacement: "{}",
    });
    const s = buildSummary(input(
      [mutant({
        status: "Killed",
        line: 60,
        mutator: "BlockStatement",
        replacement: "{}",
      })],
      [stale],
    ));
    assert.deepEqual(s.stale_equivalent, [stale]);
    assert.equal(s.counts.equivalent, 0);
  });

  it("buildSummary() clips the original and the replacement to 200 characters", () => {
    const s = buildSummary(
      input([
        mutant({ original: "o".repeat(300), replacement: "r".repeat(200) }),
      ]),
    );
    assert.equal(s.survivors[0]!.original, `${"o".repeat(197)}...`);
    assert.equal(s.survivors[0]!.replacement, "r".repeat(200));
  });
});

describe("writeSummary()", () => {
  it("writeSummary() writes JSON indented by two spaces with a final newline, replacing the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "summary-test-"));
    try {
      const file = join(dir, "stryker.json");
      writeFileSync(file, "old content that is longer than nothing");
      const s = buildSummary(input([mutant({})]));
      writeSummary(file, s);
      const text = readFileSync(file, "utf8");
      assert.equal(text, `${JSON.stringify(s, null, 2)}\n`);
      assert.ok(
        text.startsWith('{\n  "schema_version": 1,\n  "exercise": "08_lock",'),
      );
      assert.deepEqual(JSON.parse(text), s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("formatSummary()", () => {
  it("formatSummary() prints one line for a run with every mutant detected", () => {
    const s = buildSummary(
      input([...killed(2), mutant({ status: "Timeout" })]),
    );
    assert.deepEqual(formatSummary(s, "solutions/08_lock/"), [
      "08_lock: mutation score 100.00% (3 mutants: 2 killed, 0 survived, 1 timeout, " +
      "0 no coverage, 0 equivalent; Stryker's score 100.00%) in 3.0 s",
    ]);
  });

  it("formatSummary() prints n/a for a score that is null", () => {
    const [line] = formatSummary(buildSummary(input([])), "");
    assert.match(
      line!,
      /^08_lock: mutation score n\/a \(0 mutants: .*Stryker's score n\/a\) in 3\.0 s$/,
    );
  });

  it("formatSummary() counts runtime and compile errors as not scored, and says nothing when there is none", () => {
    const s = buildSummary(input([
      ...killed(1),
      mutant({ status: "RuntimeError" }),
      mutant({ status: "CompileError" }),
    ]));
    const lines = formatSummary(s, "");
    assert.equal(
      lines[1],
      "  (2 mutants were runtime or compile errors: not scored)",
    );
    assert.equal(lines.length, 2);
  });

  it("formatSummary() prints each survivor at file:line:col, tagging NoCoverage and equivalents", () => {
    const s = buildSummary(input(
      [
        mutant({ line: 12, column: 3, status: "NoCoverage" }),
        mutant({ line: 30 }),
      ],
      [entry({ line: 30, why: "harmless" })],
    ));
    const lines = formatSummary(s, "solutions/08_lock/");
    assert.equal(
      lines[1],
      "  survived   solutions/08_lock/lock.ts:12:3 ConditionalExpression: a > b -> true [NoCoverage]",
    );
    assert.equal(
      lines[2],
      "  equivalent solutions/08_lock/lock.ts:30:5 ConditionalExpression: a > b -> true  [equivalent: harmless]",
    );
  });

  it("formatSummary() clips printed code to 80 characters", () => {
    const s = buildSummary(
      input([
        mutant({ original: "x".repeat(100), replacement: "y".repeat(81) }),
      ]),
    );
    assert.equal(
      formatSummary(s, "")[1],
      `  survived   lock.ts:10:5 ConditionalExpression: ${"x".repeat(77)}... -> ${
        "y".repeat(77)
      }...`,
    );
  });

  it("formatSummary() ends with a pasteable entry, marked TODO, for each unexplained survivor only", () => {
    const s = buildSummary(input(
      [
        mutant({ line: 12 }),
        mutant({ line: 30, mutator: "BooleanLiteral", replacement: "false" }),
      ],
      [entry({ line: 12 })],
    ));
    const lines = formatSummary(s, "solutions/08_lock/");
    const at = lines.findIndex((l) => l.includes("survivor(s) not explained"));
    assert.equal(
      lines[at],
      "  1 survivor(s) not explained: kill each with a hidden test, or record it in " +
        'solutions/08_lock/promises.json under "equivalent" with a one-line "why":',
    );
    assert.equal(lines.length, at + 2);
    const pasted = lines[at + 1]!;
    assert.ok(pasted.startsWith("    {") && pasted.endsWith("},"), pasted);
    assert.deepEqual(JSON.parse(pasted.trim().slice(0, -1)), {
      file: "lock.ts",
      line: 30,
      mutator: "BooleanLiteral",
      original: "a > b",
      replacement: "false",
      why: "TODO",
    });
  });

  it("formatSummary() names each stale entry with its file, line, mutator and replacement", () => {
    const s: StrykerSummary = buildSummary(input(
      killed(1),
      [entry({ line: 99, mutator: "StringLiteral", replacement: '""' })],
    ));
    assert.deepEqual(formatSummary(s, "solutions/08_lock/").slice(1), [
      '  STALE equivalent entry (matches no survivor): solutions/08_lock/lock.ts:99 StringLiteral -> ""',
    ]);
  });
});
