import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { revealSolution } from "./solution.ts";
import { exerciseResult as result, testResult as test } from "../engine/testdata/results.ts";

function withSolutions(body: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), "learn-sol-"));
  try {
    mkdirSync(join(root, "solutions", "01_add"), { recursive: true });
    writeFileSync(
      join(root, "solutions", "01_add", "add.ts"),
      "export const add = (a: number, b: number) => a + b;\n",
    );
    body(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe("revealSolution()", () => {
  it("revealSolution() hides the solution until every test passes, then shows solutions/NN/<stub>", () => {
    const root = mkdtempSync(join(tmpdir(), "learn-sol-"));
    try {
      mkdirSync(join(root, "solutions", "01_add"), { recursive: true });
      writeFileSync(
        join(root, "solutions", "01_add", "add.ts"),
        "export const add = (a: number, b: number) => a + b;\n",
      );
      const notYet = revealSolution(
        root,
        result([test(), test({ status: "fail", message: "AssertionError: 2 !== 3" })]),
        ["add.ts"],
      );
      assert.equal(notYet.revealed, false);
      assert.match(notYet.text, /1 of 2 tests pass/);
      assert.match(notYet.text, /2 !== 3/);
      assert.doesNotMatch(notYet.text, /a \+ b/);
      const done = revealSolution(root, result([test()], { score: 10 }), ["add.ts"]);
      assert.equal(done.revealed, true);
      assert.match(done.text, /a \+ b/);
      rmSync(join(root, "solutions"), { recursive: true });
      assert.match(
        revealSolution(root, result([test()], { score: 10 }), ["add.ts"]).text,
        /no solutions\/ folder/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("revealSolution() keeps the solution hidden when every test passes but the score is short", () => {
    withSolutions((root) => {
      const zeroed = result([test()], {
        score: 0,
        reason: "type-error: 1 type error(s) in the stub files",
      });
      const a = revealSolution(root, zeroed, ["add.ts"]);
      assert.equal(a.revealed, false);
      assert.match(a.text, /You are at 0\/10: 1 of 1 tests pass\./);
      assert.match(a.text, /\nProblem: type-error: 1 type error/);
      assert.doesNotMatch(a.text, /a \+ b/);
    });
  });

  it("revealSolution() keeps the solution hidden for an exercise without tests", () => {
    withSolutions((root) => {
      assert.equal(revealSolution(root, result([], { score: 10 }), ["add.ts"]).revealed, false);
    });
  });

  it("revealSolution() names the first failing test, hidden ones marked, and the hint command", () => {
    withSolutions((root) => {
      const a = revealSolution(
        root,
        result([
          test(),
          test({ name: "g()", hidden: true, status: "fail", message: "line 1\nline 2" }),
          test({ name: "h()", status: "fail", message: "later" }),
        ]),
        ["add.ts"],
      );
      assert.match(a.text, /First failing test: g\(\) \[hidden\]\n {2}line 1\n {2}line 2\n/);
      assert.doesNotMatch(a.text, /h\(\)/);
      assert.ok(a.text.endsWith('Stuck? "grade hint 01" shows the next hint level.\n'));
    });
  });

  it("revealSolution() shows each stub of a done exercise under its path, (missing) when absent", () => {
    withSolutions((root) => {
      const a = revealSolution(root, result([test()], { score: 10 }), ["add.ts", "extra.ts"]);
      assert.equal(a.revealed, true);
      assert.equal(
        a.text,
        "01_add is done. The reference solution, to compare with yours:\n\n" +
          "==> solutions/01_add/add.ts <==\nexport const add = (a: number, b: number) => a + b;\n\n" +
          "==> solutions/01_add/extra.ts <==\n(missing)\n",
      );
    });
  });
});
