import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverExercises } from "../engine/discover.ts";
import type { Exercise } from "../engine/types.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { HintError, showHintText } from "./hint_text.ts";
import { ProgressStore } from "./progress.ts";

const TASK_HINTS = [
  "# Hints",
  "## Level 1",
  "### Task 1",
  "Nudge one.",
  "### Task 2",
  "Nudge two.",
  "## Level 2",
  "### Task 1",
  "Approach one.",
  "### Task 2",
  "Approach two.",
  "",
].join("\n");

describe("showHintText()", () => {
  let wb: FixtureDir;
  let add: Exercise;
  let store: ProgressStore;
  let notices: string[];
  beforeEach(() => {
    wb = makeWorkbook();
    add = discoverExercises(wb.path).find((e) => e.dir === "01_add")!;
    notices = [];
    store = new ProgressStore(wb.path, (m) => notices.push(m));
  });
  afterEach(() => wb.cleanup());

  it("showHintText() shows the next level each time, records it, and says how many are left", () => {
    assert.equal(
      showHintText(wb.path, add, store),
      "## 01_add: hint level 1 of 2\n\nUse `+`.\n\n(1 more level(s) for this task: run the same command again)\n",
    );
    assert.deepEqual(store.read().hints, { "01_add": { "0": 1 } });
    assert.equal(
      showHintText(wb.path, add, store),
      "## 01_add: hint level 2 of 2\n\n`return a + b;`\n\n(that was the last level for this task)\n",
    );
    assert.match(
      showHintText(wb.path, add, store),
      /hint level 2 of 2\n\n`return a \+ b;`\n\n\(every level of this task was shown; that was the last one again\)\n$/,
    );
    assert.deepEqual(store.read().hints, { "01_add": { "0": 2 } });
    assert.deepEqual(notices, []);
  });

  it("showHintText() shows an asked level again without lowering the level recorded", () => {
    showHintText(wb.path, add, store);
    showHintText(wb.path, add, store);
    assert.match(
      showHintText(wb.path, add, store, 1),
      /^## 01_add: hint level 1 of 2\n\nUse `\+`\./,
    );
    assert.deepEqual(store.read().hints["01_add"], { "0": 2 });
  });

  it("showHintText() refuses a level the file does not have, naming the valid ones", () => {
    assert.throws(
      () => showHintText(wb.path, add, store, 5),
      (e) =>
        e instanceof HintError && e.message === "Exercise 01_add has no hint level 5 (valid: 1, 2)",
    );
    assert.deepEqual(store.read().hints, {}, "nothing recorded");
  });

  it("showHintText() refuses an exercise without HINTS.md", () => {
    rmSync(join(wb.path, "exercises", "01_add", "HINTS.md"));
    assert.throws(
      () => showHintText(wb.path, add, store),
      (e) => e instanceof HintError && e.message === "Exercise 01_add has no HINTS.md",
    );
  });

  it("showHintText() starts from the first failing task of the last grade", () => {
    writeFileSync(join(wb.path, "exercises", "01_add", "HINTS.md"), TASK_HINTS);
    store.update((p) => {
      p.last["01_add"] = { score: 5, max_score: 10, status: "in-progress", failing_tasks: [2] };
    });
    assert.equal(
      showHintText(wb.path, add, store),
      "## 01_add, task 2: hint level 1 of 2\n\nNudge two.\n\n(1 more level(s) for this task: run the same command again)\n",
    );
    assert.deepEqual(store.read().hints["01_add"], { "2": 1 });
  });

  it("showHintText() reads the learner's own HINTS.md before the pristine one", () => {
    const mine = mkdtempSync(join(tmpdir(), "grader-hint-"));
    try {
      mkdirSync(join(mine, "exercises", "01_add"), { recursive: true });
      writeFileSync(join(mine, "exercises", "01_add", "HINTS.md"), "## Level 1\n\nMy own hint.\n");
      const own = new ProgressStore(mine, () => {});
      assert.match(showHintText(mine, add, own), /hint level 1 of 1\n\nMy own hint\./);
      rmSync(join(mine, "exercises"), { recursive: true });
      assert.match(showHintText(mine, add, own, 1), /Use `\+`\./, "the pristine file as fallback");
    } finally {
      rmSync(mine, { recursive: true, force: true });
    }
  });
});
