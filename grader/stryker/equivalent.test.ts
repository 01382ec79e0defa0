/**
 * Tests of `npm run mutate` that need no Stryker run: matching the equivalent mutants recorded in promises.json.
 *
 * Run: `bun test grader/stryker` or `deno test -A grader/stryker`.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type EquivalentEntry,
  matchEquivalents,
  normalizeFile,
  readEquivalents,
  sameOriginal,
  suggestEntry,
} from "./equivalent.ts";
import { entry, mutant } from "./testdata.ts";

describe("equivalent mutants", () => {
  it("normalizeFile() accepts the stub name in any of its spellings", () => {
    for (
      const f of [
        "lock.ts",
        "./lock.ts",
        "solutions/08_lock/lock.ts",
        "exercises/08_lock/lock.ts",
      ]
    ) assert.equal(normalizeFile(f), "lock.ts");
  });

  it("matchEquivalents() matches the same file, mutator and replacement within the line window", () => {
    const survivors = [
      mutant({ line: 14 }),
      mutant({ line: 30, mutator: "StringLiteral", replacement: '""' }),
    ];
    const r = matchEquivalents(survivors, [
      entry({
        line: 10,
        file: "solutions/08_lock/lock.ts",
        replacement: " true ",
      }),
    ]);
    assert.deepEqual([...r.bySurvivor], [[0, 0]]);
    assert.deepEqual(r.stale, []);
    assert.deepEqual(
      matchEquivalents([mutant({ line: 16 })], [entry({ line: 10 })]).stale,
      [0],
      "6 lines away is too far",
    );
    assert.deepEqual(
      matchEquivalents([mutant({})], [entry({ mutator: "LogicalOperator" })])
        .stale,
      [0],
      "another mutator",
    );
    assert.deepEqual(
      matchEquivalents([mutant({})], [entry({ replacement: "false" })]).stale,
      [0],
      "another replacement",
    );
    assert.deepEqual(
      matchEquivalents([mutant({})], [entry({ file: "other.ts" })]).stale,
      [0],
      "another file",
    );
  });

  it("matchEquivalents() matches by original text however far the line moved, also when clipped", () => {
    const r = matchEquivalents([mutant({ line: 80, original: "a > b" })], [
      entry({ line: 10, original: "a  >  b" }),
    ]);
    assert.deepEqual([...r.bySurvivor], [[0, 0]]);
    assert.equal(sameOriginal("{ a(); ...", "{ a(); b(); }"), true);
    assert.equal(sameOriginal("{ x(); ...", "{ a(); b(); }"), false);
    assert.equal(
      matchEquivalents([mutant({ line: 80 })], [
        entry({ line: 10, original: "c > d" }),
      ]).stale.length,
      1,
    );
  });

  it("matchEquivalents() pairs one to one, closest first, and reports the leftovers as stale", () => {
    const survivors = [mutant({ line: 12 }), mutant({ line: 9 })];
    const r = matchEquivalents(survivors, [
      entry({ line: 10 }),
      entry({ line: 10, why: "second" }),
      entry({ line: 10, why: "third" }),
    ]);
    assert.deepEqual([...r.bySurvivor].sort(), [[0, 1], [1, 0]]);
    assert.deepEqual(r.stale, [2]);
  });

  it("readEquivalents() reads promises.json's list, skipping malformed entries with a message", () => {
    const dir = mkdtempSync(join(tmpdir(), "mutate-test-"));
    try {
      const file = join(dir, "promises.json");
      assert.deepEqual(
        readEquivalents(file),
        { entries: [], problems: [] },
        "no file, no entries",
      );
      writeFileSync(file, JSON.stringify({ promises: [] }));
      assert.deepEqual(
        readEquivalents(file),
        { entries: [], problems: [] },
        "no key, no entries",
      );
      writeFileSync(
        file,
        JSON.stringify({
          promises: [],
          equivalent: [
            entry({}),
            { file: "lock.ts", line: 0 },
            entry({ why: " " }),
          ],
        }),
      );
      const r = readEquivalents(file);
      assert.deepEqual(r.entries, [entry({})]);
      assert.equal(r.problems.length, 2);
      assert.match(r.problems[0]!, /equivalent\[1\] ignored: .*"line"/);
      writeFileSync(file, "{");
      assert.match(readEquivalents(file).problems[0]!, /not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("suggestEntry() prints a pasteable entry that matches its survivor", () => {
    const s = mutant({ original: "x".repeat(300) });
    const e = JSON.parse(suggestEntry(s)) as EquivalentEntry;
    assert.equal(e.why, "TODO");
    assert.deepEqual(
      matchEquivalents([s], [{ ...e, line: 200 }]).bySurvivor.get(0),
      0,
    );
  });
});
