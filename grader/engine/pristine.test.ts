import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverExercises } from "./discover.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { grade } from "./grade.ts";
import { pristineStub, snapshotPath, STATE_DIR } from "./pristine.ts";
import { isEdited } from "./pristine_view.ts";
import { currentRuntime } from "./runtimes.ts";
import { TOOL_ROOT } from "./tool_root.ts";

const git = (cwd: string, ...a: string[]) =>
  spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...a], { cwd, encoding: "utf8" });

function tempRoot(tag: string): string {
  const root = mkdtempSync(join(tmpdir(), `learn-${tag}-`));
  mkdirSync(join(root, "exercises", "01_add"), { recursive: true });
  writeFileSync(join(root, "exercises", "01_add", "add.ts"), "// pristine\n");
  return root;
}

describe("snapshotPath() and pristineStub()", () => {
  it("snapshotPath() points into .workbook/pristine/exercises/<dir>/<stub>", () => {
    assert.equal(STATE_DIR, ".workbook");
    assert.equal(
      snapshotPath("/wb", "01_add", "add.ts"),
      join("/wb", ".workbook", "pristine", "exercises", "01_add", "add.ts"),
    );
  });

  it("pristineStub() reads the snapshot first and names it as the source", () => {
    const root = tempRoot("snap");
    try {
      mkdirSync(join(snapshotPath(root, "01_add", "add.ts"), ".."), { recursive: true });
      writeFileSync(snapshotPath(root, "01_add", "add.ts"), "// from the snapshot\n");
      assert.deepEqual(pristineStub(root, "01_add", "add.ts"), {
        text: "// from the snapshot\n",
        source: "the snapshot .workbook/pristine/exercises/01_add/add.ts",
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
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

  it("pristineStub() prefers the upstream branch to HEAD, so a learner's own commits do not count", () => {
    const upstream = tempRoot("upstream");
    const clone = mkdtempSync(join(tmpdir(), "learn-clone-"));
    try {
      git(upstream, "init", "-q");
      git(upstream, "add", ".");
      git(upstream, "commit", "-q", "-m", "stub");
      assert.equal(git(clone, "clone", "-q", upstream, ".").status, 0);
      writeFileSync(join(clone, "exercises", "01_add", "add.ts"), "// mine\n");
      git(clone, "commit", "-q", "-am", "my work");
      const p = pristineStub(clone, "01_add", "add.ts");
      assert.equal(p?.text, "// pristine\n");
      assert.equal(p?.source, "git @{upstream}");
      assert.equal(isEdited(clone, "01_add", "add.ts"), true);
    } finally {
      rmSync(upstream, { recursive: true, force: true });
      rmSync(clone, { recursive: true, force: true });
    }
  });
});

describe("isEdited()", () => {
  it("isEdited() is null without a pristine copy, false when equal, true when changed or deleted", () => {
    const root = tempRoot("edited");
    try {
      assert.equal(isEdited(root, "01_add", "add.ts"), null);
      mkdirSync(join(snapshotPath(root, "01_add", "add.ts"), ".."), { recursive: true });
      writeFileSync(snapshotPath(root, "01_add", "add.ts"), "// pristine\n");
      assert.equal(isEdited(root, "01_add", "add.ts"), false);
      writeFileSync(join(root, "exercises", "01_add", "add.ts"), "// pristine \n");
      assert.equal(isEdited(root, "01_add", "add.ts"), true);
      rmSync(join(root, "exercises", "01_add", "add.ts"));
      assert.equal(isEdited(root, "01_add", "add.ts"), true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("grading in place against the pristine stub", () => {
  let wb: FixtureDir;
  before(() => {
    wb = makeWorkbook();
  });
  after(() => wb.cleanup());
  const stub = () => join(wb.path, "exercises", "01_add", "add.ts");

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
