import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExpectedTest } from "../engine/types.ts";
import type { ContentInput } from "./lint_content.ts";
import { lintPromises, readPromises } from "./promises.ts";

const test = (name: string): ExpectedTest => ({
  file: "x.test.ts",
  name,
  group: false,
  hidden: false,
  line: 1,
  nameLine: 1,
});

describe("readPromises()", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "grader-promises-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = () => join(dir, "promises.json");
  const write = (v: unknown) =>
    writeFileSync(file(), typeof v === "string" ? v : JSON.stringify(v));
  const row = {
    id: "fifo",
    task: 1,
    promise: "waiters go first in, first out",
    tests: ["t"],
    mutants: ["m"],
  };

  it("readPromises() reads a table, keeping any other key as it is", () => {
    write({ promises: [row], equivalent: ["x"] });
    const r = readPromises(file());
    assert.equal(r.problem, undefined);
    assert.deepEqual(r.table, { promises: [row], equivalent: ["x"] });
  });

  it("readPromises() says the table is missing, or not JSON", () => {
    assert.match(readPromises(file()).problem ?? "", /^is missing \(the promise table/);
    write("{ nope");
    assert.match(readPromises(file()).problem ?? "", /^is not valid JSON: /);
  });

  it("readPromises() wants a non-empty promises array", () => {
    for (const v of [{}, { promises: [] }, { promises: {} }, null, []]) {
      write(v);
      assert.equal(
        readPromises(file()).problem,
        'must hold a non-empty "promises" array',
        JSON.stringify(v),
      );
      assert.equal(readPromises(file()).table, undefined);
    }
  });

  it("readPromises() names the first row without id, integer task, promise, tests or mutants", () => {
    const bad = [
      { ...row, id: "" },
      { ...row, task: 1.5 },
      { ...row, promise: 3 },
      { ...row, tests: "t" },
      { ...row, tests: [1] },
      { ...row, mutants: undefined },
    ];
    for (const b of bad) {
      write({ promises: [row, b] });
      assert.match(
        readPromises(file()).problem ?? "",
        /^promises\[1\] needs id \(string\), task \(integer\)/,
        JSON.stringify(b),
      );
    }
  });
});

describe("lintPromises()", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "grader-promises-"));
    mkdirSync(join(root, "solutions", "01_x"), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const input = (mutants: string[]): ContentInput => ({
    root,
    dir: "01_x",
    meta: { title: "X", stubs: ["x.ts"], weights: {}, timeoutSec: 30, realTime: false },
    rawMeta: {},
    expected: [],
    mutants,
  });
  const table = (promises: unknown[]) =>
    writeFileSync(join(root, "solutions", "01_x", "promises.json"), JSON.stringify({ promises }));

  it("lintPromises() finds nothing wrong when every row names real tests and mutants of a README task", () => {
    table([
      { id: "a", task: 1, promise: "p", tests: ["task 1: a"], mutants: ["m1"] },
      { id: "b", task: 2, promise: "q", tests: ["task 2: b"], mutants: ["m2", "m1"] },
    ]);
    assert.deepEqual(
      lintPromises(input(["m1", "m2"]), [1, 2], [test("task 1: a"), test("task 2: b")]),
      [],
    );
  });

  it("lintPromises() names each problem of each row, and each mutant no row names", () => {
    table([
      { id: "a", task: 3, promise: "p", tests: ["nope"], mutants: ["m9"] },
      { id: "a", task: 1, promise: "q", tests: [], mutants: [] },
    ]);
    assert.deepEqual(lintPromises(input(["m1"]), [1, 2], [test("t")]), [
      'solutions/01_x/promises.json "a": task 3 is not a task of the README',
      'solutions/01_x/promises.json "a": no test is named "nope"',
      'solutions/01_x/promises.json "a": no mutant solutions/01_x/mutants/m9.patch',
      'solutions/01_x/promises.json "a": the id is used twice',
      'solutions/01_x/promises.json "a": no test pins this promise',
      'solutions/01_x/promises.json "a": no mutant proves its tests can fail',
      "solutions/01_x/promises.json: mutant m1 breaks no promise of the table (add it to the row it breaks)",
    ]);
  });

  it("lintPromises() reports a missing or malformed table as one problem naming the file", () => {
    assert.deepEqual(lintPromises(input([]), [1], []), [
      "solutions/01_x/promises.json is missing (the promise table: every promise of the README, its tests and mutants)",
    ]);
    table([]);
    assert.deepEqual(lintPromises(input([]), [1], []), [
      'solutions/01_x/promises.json must hold a non-empty "promises" array',
    ]);
  });
});
