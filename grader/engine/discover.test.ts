import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  discoverExercises,
  EXERCISE_DIR,
  ExerciseError,
  expectedTests,
  listCPythonFiles,
  listTestFiles,
  readMeta,
  selectExercises,
} from "./discover.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "grader-discover-"));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("EXERCISE_DIR", () => {
  it("EXERCISE_DIR accepts two digits and a snake_case slug, nothing else", () => {
    for (const ok of ["01_add", "12_bounded_crawler", "99_a1_b2"]) {
      assert.ok(EXERCISE_DIR.test(ok), ok);
    }
    for (const bad of ["1_add", "001_add", "01-add", "01_Add", "01_add_", "01__add", "01_"]) {
      assert.ok(!EXERCISE_DIR.test(bad), bad);
    }
    assert.deepEqual(EXERCISE_DIR.exec("09_event_start_signal")!.slice(1), [
      "09",
      "event_start_signal",
    ]);
  });
});

describe("readMeta()", () => {
  it("readMeta() fills in the defaults: no weights, 30 s, not real time", () => {
    withDir((dir) => {
      const f = join(dir, "exercise.json");
      writeFileSync(f, JSON.stringify({ title: "Add", stubs: ["add.ts"] }));
      assert.deepEqual(readMeta(f), {
        title: "Add",
        stubs: ["add.ts"],
        weights: {},
        timeoutSec: 30,
        realTime: false,
      });
      writeFileSync(
        f,
        JSON.stringify({
          title: "T",
          stubs: ["a.ts", "b.ts"],
          weights: { "x > y": 3, z: 0 },
          timeoutSec: 2.5,
          realTime: true,
          part: 2,
          difficulty: 4,
          minutes: 45,
        }),
      );
      assert.deepEqual(readMeta(f), {
        title: "T",
        stubs: ["a.ts", "b.ts"],
        weights: { "x > y": 3, z: 0 },
        timeoutSec: 2.5,
        realTime: true,
        part: 2,
        difficulty: 4,
        minutes: 45,
      });
    });
  });

  it("readMeta() refuses a missing file, bad JSON and each mistyped field, naming the file", () => {
    withDir((dir) => {
      const f = join(dir, "exercise.json");
      assert.throws(
        () => readMeta(f),
        (e) => e instanceof ExerciseError && /Cannot read/.test(e.message),
      );
      const cases: [unknown, RegExp][] = [
        ["{", /Cannot read .*exercise\.json/],
        [[1], /expected a JSON object/],
        [{ stubs: ["a.ts"] }, /"title" must be a non-empty string/],
        [{ title: "", stubs: ["a.ts"] }, /"title" must be a non-empty string/],
        [{ title: "T", stubs: [] }, /"stubs" must be a non-empty array/],
        [{ title: "T", stubs: ["a.ts", ""] }, /"stubs" must be a non-empty array/],
        [{ title: "T", stubs: ["a.ts"], weights: [] }, /"weights" must be an object/],
        [
          { title: "T", stubs: ["a.ts"], weights: { a: -1 } },
          /weight of "a" must be a number >= 0, received -1/,
        ],
        [{ title: "T", stubs: ["a.ts"], weights: { a: "2" } }, /weight of "a"/],
        [
          { title: "T", stubs: ["a.ts"], timeoutSec: 0 },
          /"timeoutSec" must be a positive number, received 0/,
        ],
        [{ title: "T", stubs: ["a.ts"], realTime: "yes" }, /"realTime" must be a boolean/],
        [
          { title: "T", stubs: ["a.ts"], part: 1.5 },
          /"part" must be a positive integer, received 1\.5/,
        ],
        [{ title: "T", stubs: ["a.ts"], minutes: 0 }, /"minutes" must be a positive integer/],
      ];
      for (const [json, re] of cases) {
        writeFileSync(f, typeof json === "string" ? json : JSON.stringify(json));
        assert.throws(
          () => readMeta(f),
          (e) => e instanceof ExerciseError && re.test(e.message) && e.message.includes(f),
          JSON.stringify(json),
        );
      }
    });
  });
});

describe("listTestFiles(), listCPythonFiles() and expectedTests()", () => {
  it("listTestFiles() lists visible test files, then hidden ones, each sorted; listCPythonFiles() the conformance files", () => {
    withDir((dir) => {
      for (
        const f of ["b.test.ts", "a.hidden.ts", "a.test.ts", "x.ts", "z.cpython.ts", "c.cpython.ts"]
      ) {
        writeFileSync(join(dir, f), "");
      }
      assert.deepEqual(listTestFiles(dir), ["a.test.ts", "b.test.ts", "a.hidden.ts"]);
      assert.deepEqual(listCPythonFiles(dir), ["c.cpython.ts", "z.cpython.ts"]);
    });
  });

  it("expectedTests() lists groups and tests per file, with code for visible tests only", () => {
    withDir((dir) => {
      writeFileSync(join(dir, "a.test.ts"), 'describe("g", () => {\n  it("t", () => {});\n});\n');
      writeFileSync(join(dir, "a.hidden.ts"), 'it("h", () => {\n  secret();\n});\n');
      const tests = expectedTests(dir, ["a.test.ts", "a.hidden.ts"]);
      assert.deepEqual(tests.map((t) => [t.file, t.name, t.group, t.hidden, t.line]), [
        ["a.test.ts", "g", true, false, 1],
        ["a.test.ts", "g > t", false, false, 2],
        ["a.hidden.ts", "h", false, true, 1],
      ]);
      assert.deepEqual(tests.map((t) => t.code), [undefined, 'it("t", () => {})', undefined]);
    });
  });
});

describe("discoverExercises()", () => {
  let wb: FixtureDir;
  before(() => {
    wb = makeWorkbook();
  });
  after(() => wb.cleanup());

  it("discoverExercises() finds the fixture's three exercises in course order with their tests", () => {
    const all = discoverExercises(wb.path);
    assert.deepEqual(all.map((e) => [e.id, e.dir, e.slug, e.meta.title]), [
      ["01", "01_add", "add", "Add"],
      ["02", "02_greet", "greet", "Greet"],
      ["03", "03_clock", "clock", "Clock"],
    ]);
    const add = all[0]!;
    assert.equal(add.pristineDir, join(wb.path, "exercises", "01_add"));
    assert.deepEqual(add.testFiles, ["add.test.ts", "add.hidden.ts"]);
    assert.deepEqual(add.meta.weights, { "add() adds zero": 2 });
    assert.equal(add.meta.timeoutSec, 20);
    assert.equal(add.expected.filter((t) => !t.group).length, 4);
    assert.deepEqual(add.cpythonFiles, []);
  });

  it("discoverExercises() skips folders that are not exercises and is empty without exercises/", () => {
    withDir((dir) => {
      assert.deepEqual(discoverExercises(dir), []);
      mkdirSync(join(dir, "exercises", "01_no_json"), { recursive: true });
      mkdirSync(join(dir, "exercises", "notes"), { recursive: true });
      writeFileSync(
        join(dir, "exercises", "notes", "exercise.json"),
        '{"title":"x","stubs":["a"]}',
      );
      writeFileSync(join(dir, "exercises", "02_file"), "");
      mkdirSync(join(dir, "exercises", "03_ok"));
      writeFileSync(
        join(dir, "exercises", "03_ok", "exercise.json"),
        '{"title":"Ok","stubs":["a.ts"]}',
      );
      assert.deepEqual(discoverExercises(dir).map((e) => e.dir), ["03_ok"]);
    });
  });

  it("discoverExercises() throws on an invalid exercise.json, or reports it and skips it with onInvalid", () => {
    withDir((dir) => {
      for (const [d, json] of [["01_bad", "{}"], ["02_ok", '{"title":"Ok","stubs":["a.ts"]}']]) {
        mkdirSync(join(dir, "exercises", d!), { recursive: true });
        writeFileSync(join(dir, "exercises", d!, "exercise.json"), json!);
      }
      assert.throws(() => discoverExercises(dir), ExerciseError);
      const seen: string[] = [];
      const found = discoverExercises(dir, (d, e) => seen.push(`${d}: ${e.name}`));
      assert.deepEqual(found.map((e) => e.dir), ["02_ok"]);
      assert.deepEqual(seen, ["01_bad: ExerciseError"]);
    });
  });
});

describe("selectExercises()", () => {
  let wb: FixtureDir;
  before(() => {
    wb = makeWorkbook();
  });
  after(() => wb.cleanup());
  const dirs = (ids: string[]) =>
    selectExercises(discoverExercises(wb.path), ids).map((e) => e.dir);

  it("selectExercises() takes a number, a folder, a slug or a path, once each, in course order", () => {
    assert.deepEqual(dirs([]), ["01_add", "02_greet", "03_clock"]);
    assert.deepEqual(dirs(["3", "01"]), ["01_add", "03_clock"]);
    assert.deepEqual(dirs(["greet", "02_greet", "exercises/02_greet/"]), ["02_greet"]);
  });

  it("selectExercises() refuses an unknown id, naming it and the valid choices", () => {
    assert.throws(
      () => dirs(["add", "4"]),
      (e) =>
        e instanceof RangeError &&
        e.message === 'Unknown exercise "4": valid: 01_add, 02_greet, 03_clock',
    );
    assert.throws(() => selectExercises([], ["1"]), /there are no exercises/);
  });

  it("selectExercises() takes a number with extra leading zeros (012), as the README says", () => {
    assert.deepEqual(dirs(["001"]), ["01_add"]);
  });
});
