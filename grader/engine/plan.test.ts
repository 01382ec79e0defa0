import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { GradeOptions } from "./grade_options.ts";
import {
  buildUnits,
  chunk,
  pickRoot,
  readableFor,
  stopGroups,
  suiteExercises,
  timeoutOf,
  unitFiles,
} from "./plan.ts";
import type { Exercise, ExpectedTest } from "./types.ts";
import type { Unit } from "./workspace.ts";

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A temp folder holding the given files (relative path -> text). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "plan-test-"));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

const test = (file: string, name: string, group = false): ExpectedTest => ({
  file,
  name,
  group,
  hidden: file.endsWith(".hidden.ts"),
  line: 1,
  nameLine: 1,
});

function exercise(dir: string, over: Partial<Exercise> = {}): Exercise {
  return {
    id: dir.slice(0, 2),
    dir,
    slug: dir.slice(3),
    meta: { title: dir, stubs: ["x.ts"], weights: { a: 2 }, timeoutSec: 30, realTime: false },
    pristineDir: `/pristine/exercises/${dir}`,
    testFiles: ["x.test.ts", "x.hidden.ts"],
    expected: [test("x.test.ts", "a"), test("x.hidden.ts", "b")],
    cpythonFiles: [],
    cpythonExpected: [],
    ...over,
  };
}

const unit = (ex: Exercise, wsDir = ex.dir): Unit => ({
  key: wsDir,
  exercise: ex,
  wsDir,
  stubSources: {},
});

function options(over: Partial<GradeOptions>): GradeOptions {
  return {
    toolRoot: "/tool",
    pristineRoot: "/pristine",
    submissionRoot: "/submission",
    exercises: [],
    mode: "solutions",
    runtimes: ["bun"],
    ...over,
  };
}

describe("suiteExercises()", () => {
  it("suiteExercises() returns the exercises as they are for the graded suite (the default)", () => {
    const list = [exercise("01_a")];
    assert.equal(suiteExercises(list), list);
    assert.equal(suiteExercises(list, "grade"), list);
  });

  it("suiteExercises() keeps only exercises with conformance files, those as tests, no weights", () => {
    const cp = [test("x.cpython.ts", "c")];
    const out = suiteExercises([
      exercise("01_a"),
      exercise("02_b", { cpythonFiles: ["x.cpython.ts"], cpythonExpected: cp }),
    ], "cpython");
    assert.deepEqual(out.map((e) => e.dir), ["02_b"]);
    assert.deepEqual(out[0]!.testFiles, ["x.cpython.ts"]);
    assert.deepEqual(out[0]!.expected, cp);
    assert.deepEqual(out[0]!.meta.weights, {});
    assert.equal(out[0]!.meta.timeoutSec, 30);
  });

  it("suiteExercises() returns nothing for the CPython suite when no exercise has cases", () => {
    assert.deepEqual(suiteExercises([exercise("01_a")], "cpython"), []);
  });
});

describe("timeoutOf()", () => {
  it("timeoutOf() is the option's limit when given, else the exercise's", () => {
    const u = unit(exercise("01_a"));
    assert.equal(timeoutOf(u, options({})), 30);
    assert.equal(timeoutOf(u, options({ timeoutSec: 5 })), 5);
  });
});

describe("readableFor()", () => {
  it("readableFor() lists a real-time exercise's own files except tests, plus lib/, once", () => {
    const ws = tree({
      "exercises/21_w/pool.ts": "",
      "exercises/21_w/job.ts": "",
      "exercises/21_w/pool.test.ts": "",
      "exercises/21_w/pool.hidden.ts": "",
      "exercises/21_w/pool.cpython.ts": "",
      "exercises/01_a/x.ts": "",
      "exercises/22_v/v.ts": "",
    });
    const rt = (dir: string) =>
      unit(exercise(dir, { meta: { ...exercise(dir).meta, realTime: true } }));
    const out = readableFor(ws, [rt("21_w"), unit(exercise("01_a")), rt("22_v")]);
    assert.deepEqual(out.sort(), [
      "exercises/21_w/job.ts",
      "exercises/21_w/pool.ts",
      "exercises/22_v/v.ts",
      "lib",
    ]);
  });

  it("readableFor() gives nothing to a batch without real-time exercises", () => {
    assert.deepEqual(readableFor("/nowhere", [unit(exercise("01_a"))]), []);
    assert.deepEqual(readableFor("/nowhere", []), []);
  });
});

describe("unitFiles()", () => {
  it("unitFiles() names each test file under the unit's workspace folder", () => {
    assert.deepEqual(unitFiles(unit(exercise("01_a"), "01_a__m")), [
      "exercises/01_a__m/x.test.ts",
      "exercises/01_a__m/x.hidden.ts",
    ]);
  });
});

describe("chunk()", () => {
  const sized = (dir: string, n: number) =>
    unit(
      exercise(dir, { expected: Array.from({ length: n }, (_, i) => test("x.test.ts", `${i}`)) }),
    );

  it("chunk() balances batches by test count and keeps course order inside each", () => {
    const units = [sized("01_a", 10), sized("02_b", 1), sized("03_c", 9), sized("04_d", 2)];
    const out = chunk(units, 2).map((b) => b.map((u) => u.key));
    assert.deepEqual(out, [["01_a", "02_b"], ["03_c", "04_d"]]);
  });

  it("chunk() makes no more batches than units, and at least one", () => {
    const units = [sized("01_a", 1), sized("02_b", 1)];
    assert.equal(chunk(units, 8).length, 2);
    assert.deepEqual(chunk(units, 0).map((b) => b.map((u) => u.key)), [["01_a", "02_b"]]);
    assert.deepEqual(chunk(units, -3).map((b) => b.length), [2]);
  });

  it("chunk() counts each unit, so units without tests are spread too", () => {
    const units = ["01_a", "02_b", "03_c", "04_d"].map((d) => sized(d, 0));
    assert.deepEqual(chunk(units, 2).map((b) => b.map((u) => u.key)), [
      ["01_a", "03_c"],
      ["02_b", "04_d"],
    ]);
  });

  it("chunk() of no units is no batch", () => {
    assert.deepEqual(chunk([], 4), []);
  });
});

describe("pickRoot()", () => {
  it("pickRoot() takes the pristine root when it holds the path, else the grader's", () => {
    const pristine = tree({ "solutions/01_a/x.ts": "" });
    const o = options({ pristineRoot: pristine, toolRoot: "/tool" });
    assert.equal(pickRoot(o, "solutions"), pristine);
    assert.equal(pickRoot(o, "lib"), "/tool");
  });
});

const PATCH = (from: string, to: string) =>
  `MUTANT: ${to} instead of ${from}\n--- a/x.ts\n+++ b/x.ts\n@@ -1 +1 @@\n-${from}\n+${to}\n`;

describe("buildUnits()", () => {
  it("buildUnits() takes each stub from the solutions, null where the solution lacks it", () => {
    const root = tree({ "solutions/01_a/x.ts": "1" });
    const ex = exercise("01_a", { meta: { ...exercise("01_a").meta, stubs: ["x.ts", "y.ts"] } });
    const { units, mutants, broken } = buildUnits(
      options({ pristineRoot: root, exercises: [ex] }),
    );
    assert.deepEqual(units, [{
      key: "01_a",
      exercise: ex,
      wsDir: "01_a",
      stubSources: { "x.ts": join(root, "solutions/01_a/x.ts"), "y.ts": null },
    }]);
    assert.equal(mutants.size, 0);
    assert.deepEqual(broken, []);
  });

  it("buildUnits() takes the stubs from the pristine folder, or the submission kept as root", () => {
    const pristine = tree({ "exercises/01_a/x.ts": "stub" });
    const sub = tree({ "exercises/01_a/x.ts": "mine" });
    const ex = exercise("01_a", { pristineDir: join(pristine, "exercises/01_a") });
    const stubs = buildUnits(options({ mode: "stubs", exercises: [ex] })).units[0]!;
    assert.deepEqual(stubs.stubSources, { "x.ts": join(pristine, "exercises/01_a/x.ts") });
    assert.equal(stubs.stubRoot, undefined);
    const mine = buildUnits(options({ mode: "submission", submissionRoot: sub, exercises: [ex] }))
      .units[0]!;
    assert.deepEqual(mine.stubSources, { "x.ts": join(sub, "exercises/01_a/x.ts") });
    assert.equal(mine.stubRoot, sub);
  });

  it("buildUnits() makes a unit per mutant with its text and stop groups, and lists a broken one", () => {
    const root = tree({
      "solutions/01_a/x.ts": "one\n",
      "solutions/01_a/mutants/m1.patch": PATCH("one", "two"),
      "solutions/01_a/mutants/m2.patch": PATCH("nine", "ten"),
      "solutions/01_a/promises.json": JSON.stringify({
        promises: [{ tests: ["b"], mutants: ["m1"] }],
      }),
    });
    const ex = exercise("01_a");
    const o = options({ mode: "mutants", pristineRoot: root, exercises: [ex] });
    const { units, mutants, broken } = buildUnits(o);
    assert.equal(units.length, 1);
    const u = units[0]!;
    assert.deepEqual([u.key, u.wsDir], ["01_a~m1", "01_a__m1"]);
    assert.deepEqual(u.stubTexts, { "x.ts": "two\n" });
    assert.deepEqual(u.stubSources, { "x.ts": join(root, "solutions/01_a/x.ts") });
    assert.deepEqual(u.stop, [["exercises/01_a__m1/x.hidden.ts\u0000b"]]);
    assert.deepEqual(mutants.get("01_a~m1"), {
      exercise: "01_a",
      mutant: "m1",
      description: "two instead of one",
    });
    assert.equal(broken.length, 1);
    assert.match(broken[0]!, /^mutant solutions\/01_a\/mutants\/m2\.patch was not graded: it /);
    assert.equal(buildUnits({ ...o, allTests: true }).units[0]!.stop, undefined);
  });

  it("buildUnits() lays an alternative's files over the reference solution's", () => {
    const root = tree({
      "solutions/01_a/x.ts": "",
      "solutions/01_a/y.ts": "",
      "solutions/01_a/alternatives/loop/x.ts": "",
    });
    const ex = exercise("01_a", { meta: { ...exercise("01_a").meta, stubs: ["x.ts", "y.ts"] } });
    const { units } = buildUnits(
      options({ mode: "alternatives", pristineRoot: root, exercises: [ex] }),
    );
    assert.deepEqual(units.map((u) => [u.key, u.wsDir]), [["01_a~loop", "01_a__alt_loop"]]);
    assert.deepEqual(units[0]!.stubSources, {
      "x.ts": join(root, "solutions/01_a/alternatives/loop/x.ts"),
      "y.ts": join(root, "solutions/01_a/y.ts"),
    });
  });
});

describe("stopGroups()", () => {
  const ex = exercise("01_a", {
    expected: [test("x.test.ts", "g", true), test("x.test.ts", "g > a"), test("x.hidden.ts", "b")],
  });
  const groups = (promises: string) =>
    stopGroups(tree({ "solutions/01_a/promises.json": promises }), ex, "m", "01_a__m");

  it("stopGroups() gives one group per row naming the mutant, with the row's known tests", () => {
    const out = groups(JSON.stringify({
      promises: [
        { tests: ["g > a", "b", "gone"], mutants: ["m", "n"] },
        { tests: ["b"], mutants: ["n"] },
        { tests: ["g", "gone"], mutants: ["m"] },
        { tests: ["b"], mutants: ["m"] },
      ],
    }));
    assert.deepEqual(out, [
      ["exercises/01_a__m/x.test.ts\u0000g > a", "exercises/01_a__m/x.hidden.ts\u0000b"],
      ["exercises/01_a__m/x.hidden.ts\u0000b"],
    ]);
  });

  it("stopGroups() is empty without a table, with a malformed one, or with malformed rows", () => {
    assert.deepEqual(stopGroups(tree({}), ex, "m", "01_a__m"), []);
    assert.deepEqual(groups("{ not json"), []);
    assert.deepEqual(groups("{}"), []);
    assert.deepEqual(
      groups(JSON.stringify({ promises: [{ tests: "b", mutants: ["m"] }, { tests: ["b"] }] })),
      [],
    );
  });
});
