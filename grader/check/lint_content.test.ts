import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ContentInput,
  hintSections,
  lintContent,
  readmeTasks,
  taskOfTest,
} from "./lint_content.ts";
import type { ExpectedTest } from "../engine/types.ts";

const README =
  "# 01 X\n\n## Your tasks\n\n1. **a** do a\n   more text\n2. **b** do b\n\n## How to run\n\n1. not a task\n";
const HINTS = [1, 2, 3].map((l) =>
  `## Level ${l}\n\n### Task 1\n\nhint ${l}.1\n\n### Task 2\n\nhint ${l}.2\n`
).join("\n");
const STUB = "// TODO: a\nexport const a = 1;\n// TODO: b\nexport const b = 2;\n";

function test(name: string, hidden: boolean): ExpectedTest {
  return {
    file: hidden ? "x.hidden.ts" : "x.test.ts",
    name,
    group: false,
    hidden,
    line: 1,
    nameLine: 1,
  };
}

/** A clean exercise in a temp folder; `change` may break one thing. */
function exercise(change: (x: ContentInput, dir: string) => void = () => {}): string[] {
  const root = mkdtempSync(join(tmpdir(), "lint-content-"));
  try {
    const dir = join(root, "exercises", "01_x");
    mkdirSync(dir, { recursive: true });
    mkdirSync(join(root, "solutions", "01_x"), { recursive: true });
    writeFileSync(join(dir, "README.md"), README);
    writeFileSync(join(dir, "HINTS.md"), HINTS);
    writeFileSync(join(dir, "x.ts"), STUB);
    const tests = [
      test("task 1: a > works", false),
      test("task 2: b > works", false),
      test("task 1: a > edge", true),
      test("task 2: b > edge", true),
    ];
    writeFileSync(
      join(root, "solutions", "01_x", "promises.json"),
      JSON.stringify({
        promises: [{
          id: "a",
          task: 1,
          promise: "a works",
          tests: ["task 1: a > edge"],
          mutants: ["m1"],
        }],
      }),
    );
    const x: ContentInput = {
      root,
      dir: "01_x",
      meta: { title: "X", stubs: ["x.ts"], weights: {}, timeoutSec: 30, realTime: false },
      rawMeta: { part: 1, difficulty: 2, minutes: 20 },
      expected: tests,
      mutants: ["m1"],
    };
    change(x, dir);
    return lintContent(x);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe("lintContent()", () => {
  it("lintContent() finds nothing wrong in a complete exercise", () => {
    assert.deepEqual(exercise(), []);
  });

  it("lintContent() requires part, difficulty 1-5 and minutes", () => {
    const p = exercise((x) => (x.rawMeta = { part: 1, difficulty: 6, minutes: 0 })).join("\n");
    assert.match(p, /"difficulty": an integer from 1 to 5/);
    assert.match(p, /"minutes": a positive integer/);
  });

  it("lintContent() requires a TODO per task", () => {
    const p = exercise((_x, dir) => writeFileSync(join(dir, "x.ts"), "// TODO: a\n")).join("\n");
    assert.match(p, /1 "\/\/ TODO:" comment\(s\) for 2 tasks/);
  });

  it("lintContent() requires three hint levels with a section per task", () => {
    const p = exercise((_x, dir) =>
      writeFileSync(join(dir, "HINTS.md"), "## Level 1\n\n### Task 1\n\nx\n")
    ).join("\n");
    assert.match(p, /level 1 has no \(or an empty\) "### Task 2"/);
    assert.match(p, /has no "## Level 2"/);
    assert.match(p, /has no "## Level 3"/);
  });

  it("lintContent() requires task-named tests, 40% visible and a visible test per task", () => {
    const p = exercise((x) => {
      x.expected = [
        test("no task here", false),
        ...["a", "b", "c"].map((n) => test(`task 2: ${n}`, true)),
      ];
    }).join("\n");
    assert.match(p, /"no task here" must start with "task N: "/);
    assert.match(p, /1 visible tests for 3 hidden ones; at least 2/);
    assert.match(p, /task 1 has no visible test/);
  });

  it("lintContent() requires each promise to name real tests and mutants, and each mutant a promise", () => {
    const p = exercise((x) => {
      x.mutants = ["m1", "m2"];
      writeFileSync(
        join(x.root, "solutions", "01_x", "promises.json"),
        JSON.stringify({
          promises: [{ id: "a", task: 3, promise: "p", tests: ["nope"], mutants: ["m1", "m9"] }],
        }),
      );
    }).join("\n");
    assert.match(p, /"a": task 3 is not a task of the README/);
    assert.match(p, /"a": no test is named "nope"/);
    assert.match(p, /"a": no mutant solutions\/01_x\/mutants\/m9.patch/);
    assert.match(p, /mutant m2 breaks no promise of the table/);
  });

  it("lintContent() requires given code to say so", () => {
    const p = exercise((_x, dir) => writeFileSync(join(dir, "helper.ts"), "export const h = 1;\n"))
      .join("\n");
    assert.match(p, /helper.ts is neither a stub nor a test/);
  });
});

describe("readmeTasks(), hintSections(), taskOfTest()", () => {
  it("readmeTasks() reads only the numbered items of '## Your tasks'", () => {
    assert.deepEqual(readmeTasks(README), [1, 2]);
    assert.deepEqual(readmeTasks("# no tasks\n1. x\n"), []);
  });

  it("hintSections() maps each level to its task sections", () => {
    const s = hintSections(HINTS);
    assert.deepEqual([...s.keys()], [1, 2, 3]);
    assert.equal(s.get(2)!.get(2), "hint 2.2");
  });

  it("taskOfTest() reads the task number of a 'task N: ' name", () => {
    assert.equal(taskOfTest("task 12: x > y"), 12);
    assert.equal(taskOfTest("x > task 1: y"), undefined);
  });
});
