/**
 * Tests of the stryker.json verdict the self-check summary shows (status.ts), on a tiny workbook
 * in a temporary folder. Run: `bun test grader/stryker` or `deno test -A grader/stryker`.
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inputsHash, strykerStatus } from "./status.ts";
import { buildSummary, writeSummary } from "./summary.ts";
import { entry, mutant } from "./testdata.ts";

/** A workbook with exercise 08_lock (solution and tests), and a summary writer for it. */
function setup(): {
  wb: string;
  write: (survivorLines: number[], recorded: number[]) => void;
} {
  const wb = mkdtempSync(join(tmpdir(), "mutate-status-"));
  mkdirSync(join(wb, "solutions", "08_lock"), { recursive: true });
  mkdirSync(join(wb, "exercises", "08_lock"), { recursive: true });
  writeFileSync(join(wb, "solutions", "08_lock", "lock.ts"), "// solution\n");
  writeFileSync(
    join(wb, "exercises", "08_lock", "lock.test.ts"),
    "// visible\n",
  );
  writeFileSync(
    join(wb, "exercises", "08_lock", "lock.hidden.ts"),
    "// hidden\n",
  );
  const write = (survivorLines: number[], recorded: number[]) => {
    const summary = buildSummary({
      exercise: "08_lock",
      mutants: [
        ...Array.from({ length: 20 }, () => mutant({ status: "Killed" })),
        ...survivorLines.map((line) => mutant({ line })),
      ],
      equivalents: recorded.map((line) => entry({ line })),
      mutated: ["lock.ts"],
      inputs: inputsHash(wb, "08_lock", ["lock.ts"]),
      seconds: 1,
      runtime: "bun",
      tools: {},
      date: new Date("2026-03-04T00:00:00Z"),
    });
    writeSummary(join(wb, "solutions", "08_lock", "stryker.json"), summary);
  };
  return { wb, write };
}

describe("strykerStatus()", () => {
  it("strykerStatus() passes a run whose survivors are all recorded, on current files", () => {
    const { wb, write } = setup();
    try {
      write([10, 30], [10, 30]);
      const s = strykerStatus(wb, "08_lock");
      assert.deepEqual([s.ok, s.message], [true, "stryker 100.00% 2026-03-04"]);
    } finally {
      rmSync(wb, { recursive: true, force: true });
    }
  });

  it("strykerStatus() names a low score, unexplained survivors, stale entries and changed inputs", () => {
    const { wb, write } = setup();
    try {
      write([10, 30, 50], [10, 90]);
      const s = strykerStatus(wb, "08_lock");
      assert.equal(s.ok, false);
      assert.equal(
        s.message,
        "stryker 90.91% (2 survivors unexplained, 1 stale equivalent entry) 2026-03-04",
      );
      assert.match(strykerStatus(wb, "08_lock", 95).message, /below 95%/);
      writeFileSync(
        join(wb, "exercises", "08_lock", "lock.hidden.ts"),
        "// a new hidden test\n",
      );
      assert.match(strykerStatus(wb, "08_lock").message, /out of date/);
    } finally {
      rmSync(wb, { recursive: true, force: true });
    }
  });

  it("strykerStatus() is not ok without a readable stryker.json", () => {
    const { wb } = setup();
    try {
      assert.deepEqual(
        [strykerStatus(wb, "08_lock").ok, strykerStatus(wb, "08_lock").message],
        [false, "stryker: not run (npm run mutate -- 08)"],
      );
      writeFileSync(
        join(wb, "solutions", "08_lock", "stryker.json"),
        '{"schema_version": 9}',
      );
      assert.match(
        strykerStatus(wb, "08_lock").message,
        /not a stryker\.json of schema_version 1/,
      );
    } finally {
      rmSync(wb, { recursive: true, force: true });
    }
  });
});
