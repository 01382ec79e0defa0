import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverExercises } from "../engine/discover.ts";
import { currentRuntime } from "../engine/runtimes.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { ProgressStore } from "./progress.ts";
import { gradeInPlace, watchMode } from "./watch.ts";

const runtime = currentRuntime() ?? "bun";

describe("gradeInPlace()", () => {
  let wb: FixtureDir;
  before(() => {
    wb = makeWorkbook();
    symlinkSync(join(TOOL_ROOT, "node_modules"), join(wb.path, "node_modules"));
  });
  after(() => wb.cleanup());

  it("gradeInPlace() grades the learner's own copy and records the result in the progress file", {
    timeout: 120_000,
  }, async () => {
    const add = discoverExercises(wb.path).filter((e) => e.dir === "01_add");
    const notices: string[] = [];
    const untouched = await gradeInPlace(wb.path, add, runtime, (m) => notices.push(m));
    assert.equal(untouched.exercises.length, 1);
    assert.equal(untouched.exercises[0]!.score, 0);
    assert.equal(untouched.exercises[0]!.status, "not-started");
    assert.deepEqual(new ProgressStore(wb.path).read().last["01_add"], {
      score: 0,
      max_score: 10,
      status: "not-started",
      failing_tasks: [],
    });
    writeFileSync(
      join(wb.path, "exercises", "01_add", "add.ts"),
      readFileSync(join(wb.path, "solutions", "01_add", "add.ts"), "utf8"),
    );
    const solved = await gradeInPlace(wb.path, add, runtime, (m) => notices.push(m));
    assert.equal(solved.exercises[0]!.status, "done");
    assert.equal(new ProgressStore(wb.path).read().last["01_add"]?.score, 10);
    assert.deepEqual(notices, []);
  });

  it("gradeInPlace() still returns the report when the progress cannot be saved, and says why", {
    timeout: 120_000,
  }, async () => {
    const greet = discoverExercises(wb.path).filter((e) => e.dir === "02_greet");
    rmSync(join(wb.path, ".workbook"), { recursive: true, force: true });
    writeFileSync(join(wb.path, ".workbook"), "a file where the state folder should be");
    const notices: string[] = [];
    const r = await gradeInPlace(wb.path, greet, runtime, (m) => notices.push(m));
    assert.equal(r.exercises[0]!.dir, "02_greet");
    assert.equal(notices.length, 1);
    assert.match(notices[0]!, /^progress not saved: cannot create .*\.workbook/);
  });
});

describe("watchMode()", () => {
  it("watchMode() refuses a workbook without exercises", async () => {
    const root = mkdtempSync(join(tmpdir(), "grader-watch-"));
    try {
      await assert.rejects(
        watchMode({ root, poll: true, runtime, color: false, write: () => {} }),
        (e) => e instanceof RangeError && e.message === `No exercises in ${root}/exercises`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("watchMode() refuses an unknown start exercise before drawing anything", async () => {
    const wb = makeWorkbook();
    let drawn = "";
    try {
      await assert.rejects(
        watchMode({
          root: wb.path,
          start: "9",
          poll: true,
          runtime,
          color: false,
          write: (t) => (drawn += t),
        }),
        (e) => e instanceof RangeError && /Unknown exercise "9": valid: 01_add/.test(e.message),
      );
      assert.equal(drawn, "");
    } finally {
      wb.cleanup();
    }
  });
});
