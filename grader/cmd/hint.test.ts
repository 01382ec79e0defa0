import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { PROGRESS_FILE, ProgressStore } from "../learner/progress.ts";
import { hintCommand } from "./hint.ts";
import { dispatch } from "./mod.ts";
import { capture } from "./testdata/capture.ts";

describe("hintCommand", () => {
  let wb: FixtureDir;
  beforeEach(() => {
    wb = makeWorkbook();
  });
  afterEach(() => wb.cleanup());
  const run = async (argv: string[], toolRoot = wb.path) => {
    const { io, o } = capture();
    const code = await dispatch(argv, { toolRoot, io });
    return { code, ...o };
  };

  it("hintCommand prints the next hint level and remembers it in the progress file", async () => {
    assert.equal(hintCommand.name, "hint");
    const first = await run(["hint", "1"]);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /^## 01_add: hint level 1 of 2\n\nUse `\+`\./);
    const second = await run(["hint", "add"]);
    assert.match(second.out, /^## 01_add: hint level 2 of 2\n/);
    assert.deepEqual(new ProgressStore(wb.path).read().hints, { "01_add": { "0": 2 } });
  });

  it("hintCommand shows the level asked for", async () => {
    await run(["hint", "1"]);
    await run(["hint", "1"]);
    const r = await run(["hint", "01_add", "1"]);
    assert.equal(r.code, 0);
    assert.match(r.out, /^## 01_add: hint level 1 of 2\n/);
  });

  it("hintCommand refuses a missing id, extra arguments and a LEVEL that is not a positive integer", async () => {
    for (const argv of [["hint"], ["hint", "1", "2", "3"]]) {
      const r = await run(argv);
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.err, /^grade: Usage: grade hint ID \[LEVEL\]\n/);
    }
    for (const level of ["0", "x", "1.5"]) {
      const r = await run(["hint", "1", level]);
      assert.equal(r.code, 2, level);
      assert.match(
        r.err,
        new RegExp(
          `^grade: Invalid LEVEL: "${level.replace(".", "\\.")}" \\(expected a positive integer\\)`,
        ),
      );
    }
    assert.ok(!existsSync(join(wb.path, PROGRESS_FILE)), "nothing recorded");
  });

  it("hintCommand refuses an unknown exercise, a missing level and a missing HINTS.md as usage errors", async () => {
    const unknown = await run(["hint", "9"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /Unknown exercise "9"/);
    const level = await run(["hint", "1", "5"]);
    assert.equal(level.code, 2);
    assert.match(level.err, /^grade: Exercise 01_add has no hint level 5 \(valid: 1, 2\)\n/);
    rmSync(join(wb.path, "exercises", "02_greet", "HINTS.md"));
    const none = await run(["hint", "2"]);
    assert.equal(none.code, 2);
    assert.match(none.err, /^grade: Exercise 02_greet has no HINTS\.md\n/);
  });

  it("hintCommand records the hint in --submission's progress, reading --hidden-dir's exercises", async () => {
    const student = makeWorkbook();
    try {
      rmSync(join(student.path, "exercises", "01_add", "HINTS.md"));
      const r = await run(
        ["hint", "1", "--submission", student.path, "--hidden-dir", wb.path],
        "/nowhere",
      );
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /Use `\+`\./, "the pristine HINTS.md when the student has none");
      assert.deepEqual(new ProgressStore(student.path).read().hints, { "01_add": { "0": 1 } });
      assert.ok(!existsSync(join(wb.path, PROGRESS_FILE)));
    } finally {
      student.cleanup();
    }
  });
});
