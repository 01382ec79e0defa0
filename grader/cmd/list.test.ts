import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { discoverExercises } from "../engine/discover.ts";
import { snapshotPath } from "../engine/pristine.ts";
import type { Exercise } from "../engine/types.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { type Progress, PROGRESS_FILE } from "../learner/progress.ts";
import { listCommand, listText } from "./list.ts";
import { parseCommandLine, UsageError } from "./options.ts";
import { capture } from "./testdata/capture.ts";

const HEADER = "exercise                                 part diff  min  status              hints";
const empty = (): Progress => ({ version: 1, hints: {}, last: {} });

describe("listText()", () => {
  let wb: FixtureDir;
  let all: Exercise[];
  before(() => {
    wb = makeWorkbook();
    all = discoverExercises(wb.path);
  });
  after(() => wb.cleanup());

  it("listText() writes a header and one aligned row per exercise, '-' for unknown metadata", () => {
    const lines = listText(all, wb.path, empty()).split("\n");
    assert.equal(lines[0], HEADER);
    assert.equal(lines.length, 1 + 3 + 1);
    assert.equal(
      lines[1],
      `${"01_add: Add".padEnd(40)}    -    -    -  ${"not started".padEnd(19)} 0 shown`,
    );
    assert.equal(lines[4], "");
  });

  it("listText() shows part, difficulty and minutes, and cuts a long title at 40 characters", () => {
    const ex: Exercise = {
      ...all[0]!,
      dir: "07_long",
      meta: { ...all[0]!.meta, title: "x".repeat(60), part: 2, difficulty: 4, minutes: 45 },
    };
    const row = listText([ex], wb.path, empty()).split("\n")[1]!;
    assert.equal(
      row,
      `07_long: ${"x".repeat(31)}    2    4   45  ${"not started".padEnd(19)} 0 shown`,
    );
  });

  it("listText() shows the last graded status and score, and the hint levels shown", () => {
    const p = empty();
    p.last["01_add"] = { score: 4, max_score: 10, status: "in-progress" };
    p.last["02_greet"] = { score: 10, max_score: 10, status: "done" };
    p.hints["01_add"] = { "1": 2, "2": 1 };
    const lines = listText(all, wb.path, p).split("\n");
    assert.match(lines[1]!, / {2}in-progress 4\/10 {4}3 shown$/);
    assert.match(lines[2]!, / {2}done 10\/10 {10}0 shown$/);
  });

  it("listText() says edited, not graded for a stub that differs from its snapshot", () => {
    const snap = snapshotPath(wb.path, "03_clock", "later.ts");
    mkdirSync(join(snap, ".."), { recursive: true });
    writeFileSync(snap, "// the pristine stub\n");
    assert.match(
      listText(all, wb.path, empty()).split("\n")[3]!,
      / {2}edited, not graded {2}0 shown$/,
    );
  });

  it("listText() says there are no exercises yet for an empty workbook", () => {
    assert.equal(listText([], wb.path, empty()), `${HEADER}\n(no exercises yet)\n`);
  });
});

describe("listCommand", () => {
  it("listCommand prints the list of the workbook, and refuses arguments", async () => {
    const wb = makeWorkbook();
    try {
      const { io, o } = capture();
      assert.equal(await listCommand.run(parseCommandLine(["list"]), { toolRoot: wb.path, io }), 0);
      assert.equal(o.out, listText(discoverExercises(wb.path), wb.path, empty()));
      await assert.rejects(
        async () =>
          await listCommand.run(parseCommandLine(["list", "1"]), { toolRoot: wb.path, io }),
        (e) => e instanceof UsageError && e.message === "Usage: grade list",
      );
    } finally {
      wb.cleanup();
    }
  });

  it("listCommand moves a corrupt progress file aside with a message, and still lists", async () => {
    const wb = makeWorkbook();
    try {
      writeFileSync(join(wb.path, PROGRESS_FILE), "{ not json");
      const { io, o } = capture();
      assert.equal(await listCommand.run(parseCommandLine(["list"]), { toolRoot: wb.path, io }), 0);
      assert.match(
        o.err,
        /^grade: \.workbook-progress\.json could not be read: it is not valid JSON/,
      );
      assert.match(o.out, /^exercise /);
      assert.ok(!existsSync(join(wb.path, PROGRESS_FILE)));
      const aside = readdirSync(join(wb.path, ".workbook")).filter((f) =>
        f.startsWith("progress.corrupt-")
      );
      assert.equal(aside.length, 1);
      assert.equal(readFileSync(join(wb.path, ".workbook", aside[0]!), "utf8"), "{ not json");
    } finally {
      wb.cleanup();
    }
  });

  it("listCommand reads the progress of --submission and the exercises of --hidden-dir", async () => {
    const pristine = makeWorkbook();
    const student = makeWorkbook();
    try {
      writeFileSync(
        join(student.path, PROGRESS_FILE),
        JSON.stringify({
          version: 1,
          hints: {},
          last: { "02_greet": { score: 10, max_score: 10, status: "done" } },
        }),
      );
      const { io, o } = capture();
      const argv = ["list", "--hidden-dir", pristine.path, "--submission", student.path];
      assert.equal(await listCommand.run(parseCommandLine(argv), { toolRoot: "/nowhere", io }), 0);
      assert.match(o.out.split("\n")[2]!, /done 10\/10/);
    } finally {
      pristine.cleanup();
      student.cleanup();
    }
  });
});
