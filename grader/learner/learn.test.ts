import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverExercises } from "../engine/discover.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import type { ExerciseResult, Report, TestResult } from "../engine/types.ts";
import { formatPrettyFull, indentMessage } from "../formats/failure.ts";
import { watchFiles } from "./file_watch.ts";
import { isEdited, pristineStub, snapshotPath } from "../engine/pristine.ts";
import { progressBar } from "./progress_bar.ts";
import { resetExercise, stamp } from "./reset.ts";
import { KEY_LINE, renderScreen } from "./screen.ts";
import { revealSolution } from "./solution.ts";
import { grade } from "../engine/grade.ts";
import { exerciseStatus } from "../engine/score.ts";
import { currentRuntime } from "../engine/runtimes.ts";

const TIMELINE =
  "AssertionError: the schedule differs from the expected schedule:\nwhat    expected (ms)  yours (ms)\ntask 0  0..1000        0..1000\ntask 1  1000..2000     0..1000     <-- differs";

function test(over: Partial<TestResult> = {}): TestResult {
  return {
    name: "f() works",
    file: "x.test.ts",
    hidden: false,
    status: "pass",
    message: "",
    output: "",
    reason: null,
    weight: 1,
    time: 0,
    ...over,
  };
}
function result(tests: TestResult[], over: Partial<ExerciseResult> = {}): ExerciseResult {
  const passed = tests.filter((t) => t.status === "pass").length;
  return {
    id: "01",
    dir: "01_add",
    slug: "add",
    title: "Add",
    score: tests.length ? Math.round((10 * passed) / tests.length) : 0,
    max_score: 10,
    status: "not-started",
    tests,
    type_errors: [],
    warnings: [],
    time: 0,
    ...over,
  };
}

describe("failure messages", () => {
  it("indentMessage() keeps every line of a timeline and caps long messages", () => {
    assert.equal(indentMessage(TIMELINE, 2).split("\n").length, 4);
    assert.match(
      indentMessage(TIMELINE, 2),
      /\n {2}task 1 {2}1000\.\.2000 {5}0\.\.1000 {5}<-- differs/,
    );
    const long = Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n");
    assert.match(indentMessage(long, 0, 10), /\.\.\. \(40 more lines\)$/);
  });
  it("formatPrettyFull() shows whole multi-line messages above the score table", () => {
    const e = result([
      test(),
      test({
        name: "g() keeps the schedule",
        status: "fail",
        reason: "assertion",
        message: TIMELINE,
      }),
    ], { status: "in-progress" });
    const report: Report = {
      mode: "submission",
      runs: [],
      exercises: [e],
      score: e.score,
      max_score: 10,
      runtime: "bun",
      time: 1,
      warnings: [],
    };
    const text = formatPrettyFull(report, false);
    assert.match(
      text,
      /x g\(\) keeps the schedule \[assertion\]\n {6}AssertionError: the schedule differs/,
    );
    assert.match(text, /task 1 {2}1000\.\.2000/);
    assert.ok(text.indexOf("task 1") < text.indexOf("Total:"));
  });
});

describe("status, progress bar, screen", () => {
  it("exerciseStatus() says done only when every test passes, not started when every failure is a TODO", () => {
    const status = (e: ExerciseResult, unchanged: boolean) =>
      exerciseStatus(e.tests, e.score, unchanged);
    assert.equal(status(result([test()]), false), "done");
    assert.equal(status(result([test(), test({ status: "fail" })]), false), "in-progress");
    assert.equal(
      status(result([test({ status: "fail", reason: "not-started" })]), false),
      "not-started",
    );
    assert.equal(status(result([test()]), true), "not-started");
  });
  it("progressBar() fills in proportion to the exercises done", () => {
    assert.equal(progressBar(1, 4, 8), "[##>-----]  1/4 done");
    assert.equal(progressBar(4, 4, 8), "[########]  4/4 done");
  });
  it("renderScreen() shows the exercise, the progress bar, the first failure whole, the hint key and the keys", () => {
    const [ex] = discoverExercises(TOOL_ROOT);
    const r = result([
      test(),
      test({
        name: "g() keeps the schedule",
        status: "fail",
        reason: "assertion",
        message: TIMELINE,
      }),
    ], { status: "in-progress" });
    const text = renderScreen({
      exercise: ex!,
      result: r,
      grading: false,
      done: 2,
      total: 10,
      hintLine: "Stuck? press h for hint level 2 of task 1 (2 left).",
      panel: "",
      notice: "saved: re-grading",
      color: false,
    });
    assert.match(text, new RegExp(`Exercise ${ex!.dir}`));
    assert.match(text, /\[######>-+\] {2}2\/10 done/);
    assert.match(text, /First failing test: g\(\) keeps the schedule \[assertion\]/);
    assert.match(text, /task 1 {2}1000\.\.2000/);
    assert.match(text, /press h for hint level 2 of task 1/);
    assert.ok(text.includes(KEY_LINE));
  });
});

describe("solution", () => {
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
});

describe("reset and the pristine stub", () => {
  let wb: FixtureDir;
  before(() => {
    wb = makeWorkbook();
  });
  after(() => wb.cleanup());
  const stub = () => join(wb.path, "exercises", "01_add", "add.ts");

  it("resetExercise() asks, keeps the learner's version as a backup outside exercises/, and restores the snapshot", async () => {
    const ex = discoverExercises(wb.path)[0]!;
    const pristine = readFileSync(stub(), "utf8");
    mkdirSync(join(snapshotPath(wb.path, ex.dir, "add.ts"), ".."), { recursive: true });
    writeFileSync(snapshotPath(wb.path, ex.dir, "add.ts"), pristine);
    assert.equal(isEdited(wb.path, ex.dir, "add.ts"), false);
    writeFileSync(stub(), "// my attempt\n");
    assert.equal(isEdited(wb.path, ex.dir, "add.ts"), true);
    let asked = "";
    const no = await resetExercise(wb.path, ex, {
      yes: false,
      ask: (q) => Promise.resolve(((asked = q), false)),
    });
    assert.equal(no.restored, false);
    assert.match(asked, /\[y\/N\]/);
    assert.equal(readFileSync(stub(), "utf8"), "// my attempt\n");
    const now = () => new Date("2025-03-04T05:06:07Z");
    const yes = await resetExercise(wb.path, ex, {
      yes: true,
      ask: () => Promise.resolve(false),
      now,
    });
    assert.equal(yes.restored, true);
    assert.equal(yes.backup, ".workbook/backups/01_add/20250304-050607");
    assert.equal(readFileSync(join(wb.path, yes.backup!, "add.ts"), "utf8"), "// my attempt\n");
    assert.equal(readFileSync(stub(), "utf8"), pristine);
    assert.equal(
      (await resetExercise(wb.path, ex, { yes: true, ask: () => Promise.resolve(true) })).restored,
      false,
    );
    assert.equal(stamp(now()), "20250304-050607");
    // The backup is invisible to the grader: still one exercise folder, same test files.
    assert.deepEqual(discoverExercises(wb.path)[0]!.testFiles, ex.testFiles);
  });

  it("pristineStub() falls back to git HEAD when there is no snapshot, and says when it finds nothing", () => {
    const root = mkdtempSync(join(tmpdir(), "learn-git-"));
    try {
      mkdirSync(join(root, "exercises", "01_add"), { recursive: true });
      writeFileSync(join(root, "exercises", "01_add", "add.ts"), "// pristine\n");
      assert.equal(pristineStub(root, "01_add", "add.ts"), null);
      const git = (...a: string[]) =>
        spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...a], { cwd: root });
      git("init", "-q");
      git("add", ".");
      git("commit", "-q", "-m", "stub");
      writeFileSync(join(root, "exercises", "01_add", "add.ts"), "// mine\n");
      assert.deepEqual(pristineStub(root, "01_add", "add.ts"), {
        text: "// pristine\n",
        source: "git HEAD",
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("grade() in place says done for an edited stub that passes, and not started for the pristine one", async () => {
    const ex = discoverExercises(wb.path).filter((e) => e.dir === "01_add");
    const gradeHere = async () =>
      (await grade({
        toolRoot: TOOL_ROOT,
        pristineRoot: wb.path,
        submissionRoot: wb.path,
        exercises: ex,
        mode: "submission",
        runtimes: [currentRuntime() ?? "bun"],
        typeCheck: false,
      })).exercises[0]!;
    const snapshot = snapshotPath(wb.path, "01_add", "add.ts");
    mkdirSync(join(snapshot, ".."), { recursive: true });
    writeFileSync(snapshot, readFileSync(stub(), "utf8"));
    assert.equal((await gradeHere()).status, "not-started");
    writeFileSync(stub(), readFileSync(join(wb.path, "solutions", "01_add", "add.ts"), "utf8"));
    const passing = await gradeHere();
    assert.equal(passing.score, 10);
    assert.equal(passing.status, "done");
  });
});

describe("file watching", () => {
  for (const poll of [true, false]) {
    it(
      `watchFiles() reports a save (${poll ? "polling" : "file events"})`,
      { timeout: 10_000 },
      async () => {
        const dir = mkdtempSync(join(tmpdir(), "learn-watch-"));
        const f = join(dir, "x.ts");
        writeFileSync(f, "a");
        let calls = 0;
        const w = watchFiles([f], () => calls++, { poll, intervalMs: 50, debounceMs: 20 });
        try {
          assert.equal(w.mode, poll ? "polling" : "events");
          await new Promise((r) => setTimeout(r, 100));
          writeFileSync(f, "bb");
          for (let i = 0; i < 100 && calls === 0; i++) await new Promise((r) => setTimeout(r, 20));
          assert.ok(calls >= 1, "no change reported");
        } finally {
          w.stop();
          rmSync(dir, { recursive: true, force: true });
        }
        assert.ok(!existsSync(dir));
      },
    );
  }
});
