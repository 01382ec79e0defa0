import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverExercises } from "../engine/discover.ts";
import { currentRuntime } from "../engine/runtimes.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { exercismProblems } from "../formats/testdata/exercism_schema.ts";
import { EXERCISM_BUDGET_SEC, exercismSlug, findExercise, runExercism } from "./exercism.ts";

describe("exercismSlug() and findExercise()", () => {
  const all = discoverExercises(TOOL_ROOT);
  it("exercismSlug() is the exercise's slug in kebab-case", () => {
    const ex = all.find((e) => e.dir === "01_sleep_and_gather")!;
    assert.equal(exercismSlug(ex), "sleep-and-gather");
  });

  it("findExercise() takes Exercism's slug, the folder name or the slug, and nothing else", () => {
    for (
      const s of [
        "sleep-and-gather",
        "01_sleep_and_gather",
        "sleep_and_gather",
        "01_sleep_and_gather/",
      ]
    ) {
      assert.equal(findExercise(all, s)?.dir, "01_sleep_and_gather", s);
    }
    assert.equal(findExercise(all, "wait-and-as-completed")?.dir, "02_wait_and_as_completed");
    for (const s of ["sleep-and-gathe", "two-fer", "", "01", "../01_sleep_and_gather"]) {
      assert.equal(findExercise(all, s), null, s);
    }
  });

  it("every exercise of the workbook has its own Exercism slug", () => {
    const slugs = all.map(exercismSlug);
    assert.equal(new Set(slugs).size, slugs.length);
    for (const s of slugs) assert.match(s, /^[a-z0-9]+(-[a-z0-9]+)*$/, s);
  });
});

describe("runExercism()", () => {
  let wb: FixtureDir;
  let dir: string;
  beforeEach(() => {
    wb = makeWorkbook();
    dir = mkdtempSync(join(tmpdir(), "grader-exercism-"));
  });
  afterEach(() => {
    wb.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const settings = () => ({ runtimes: [currentRuntime() ?? "bun"], sandbox: false as const });
  const run = (slug: string, solutionDir: string, budgetSec?: number) =>
    runExercism({
      toolRoot: TOOL_ROOT,
      pristineRoot: wb.path,
      slug,
      solutionDir,
      settings,
      ...(budgetSec !== undefined ? { budgetSec } : {}),
    });

  it("runExercism() grades the stub files at the top of the solution folder", async () => {
    const sol = join(dir, "sol");
    mkdirSync(sol);
    copyFileSync(join(wb.path, "solutions", "01_add", "add.ts"), join(sol, "add.ts"));
    writeFileSync(join(sol, "add.test.ts"), "// the student's copy of the tests: never used\n");
    const r = await run("add", sol);
    assert.deepEqual(exercismProblems(r.result), []);
    assert.equal(r.result.status, "pass", JSON.stringify(r.result));
    assert.match(r.note, /^01_add: pass, (\d+)\/\1 tests passed$/);
  });

  it("runExercism() says which exercises it knows when the slug is unknown", async () => {
    const r = await run("two-fer", dir);
    assert.deepEqual(exercismProblems(r.result), []);
    assert.equal(r.result.status, "error");
    assert.equal(
      r.result.message,
      'Unknown exercise "two-fer": this test runner grades add, greet, clock.',
    );
  });

  it("runExercism() says so when the solution folder is missing or holds no solution file", async () => {
    const gone = await run("add", join(dir, "nope"));
    assert.equal(gone.result.message, `The solution folder ${join(dir, "nope")} does not exist.`);
    writeFileSync(join(dir, "notes.txt"), "hi\n");
    symlinkSync(join(wb.path, "solutions", "01_add", "add.ts"), join(dir, "add.ts"));
    const none = await run("add", dir);
    assert.equal(none.result.status, "error");
    assert.match(
      none.result.message!,
      /^No solution file found: exercise add needs add\.ts in the solution folder\.\n.*add\.ts: a symbolic link \(refused\)$/,
    );
    for (const r of [gone, none]) assert.deepEqual(exercismProblems(r.result), []);
  });

  it("runExercism() stops a run over its budget and says why (Exercism allows 20 s)", async () => {
    assert.ok(EXERCISM_BUDGET_SEC < 20);
    copyFileSync(join(wb.path, "solutions", "01_add", "add.ts"), join(dir, "add.ts"));
    const r = await run("add", dir, 0.001);
    assert.deepEqual(exercismProblems(r.result), []);
    assert.match(r.result.message!, /^The tests did not finish within 0\.001 s/);
  });
});
