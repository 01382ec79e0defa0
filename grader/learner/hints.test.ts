import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { nextHint, readHints } from "./hints.ts";

const BOOK = readHints(
  [1, 2, 3].map((l) =>
    `## Level ${l}\n\n### Task 1\n\nt1 level ${l}\n\n### Task 2\n\nt2 level ${l}\n`
  ).join("\n"),
);

describe("readHints()", () => {
  it("readHints() reads each level's task sections", () => {
    assert.deepEqual(BOOK.levels, [1, 2, 3]);
    assert.deepEqual(BOOK.tasks, ["1", "2"]);
    assert.equal(BOOK.text(2, "2"), "t2 level 2");
  });
  it("readHints() reads a file without task sections as task 0", () => {
    const b = readHints("# Hints\n\n## Level 1\n\nUse +.\n\n## Level 2\n\nreturn a + b;\n");
    assert.deepEqual(b.tasks, ["0"]);
    assert.equal(b.text(2, "0"), "return a + b;");
  });
});

describe("nextHint()", () => {
  it("nextHint() starts with task 1 before any grade", () => {
    assert.deepEqual(nextHint(BOOK, {}, undefined), {
      task: "1",
      level: 1,
      text: "t1 level 1",
      remaining: 2,
      exhausted: false,
    });
  });
  it("nextHint() gives the first failing task's next level", () => {
    const h = nextHint(BOOK, { "1": 3, "2": 1 }, [2])!;
    assert.deepEqual([h.task, h.level, h.remaining], ["2", 2, 1]);
  });
  it("nextHint() shows the last level again once all were shown", () => {
    const h = nextHint(BOOK, { "2": 3 }, [2])!;
    assert.deepEqual([h.level, h.exhausted, h.remaining], [3, true, 0]);
  });
  it("nextHint() shows an asked level of the current task, and nothing for a missing level", () => {
    assert.equal(nextHint(BOOK, {}, [1], 3)!.text, "t1 level 3");
    assert.equal(nextHint(BOOK, {}, [1], 9), undefined);
  });
});
