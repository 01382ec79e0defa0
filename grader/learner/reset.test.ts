import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { discoverExercises } from "../engine/discover.ts";
import { snapshotPath } from "../engine/pristine.ts";
import { isEdited } from "../engine/pristine_view.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { resetExercise, stamp } from "./reset.ts";

describe("resetExercise()", () => {
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

  it("resetExercise() says what it did: cancelled, already pristine, or restored with the backup folder", async () => {
    const ex = discoverExercises(wb.path)[0]!;
    writeFileSync(snapshotPath(wb.path, ex.dir, "add.ts"), readFileSync(stub(), "utf8"));
    const clean = await resetExercise(wb.path, ex, { yes: true, ask: () => Promise.resolve(true) });
    assert.deepEqual(clean, {
      restored: false,
      backup: null,
      message: "01_add is already pristine: nothing to reset.",
    });
    writeFileSync(stub(), "// mine\n");
    let questions = 0;
    const cancelled = await resetExercise(wb.path, ex, {
      yes: false,
      ask: (q) => {
        questions++;
        assert.equal(
          q,
          "Reset 01_add (add.ts) to the pristine stub? Your version is kept as a backup. [y/N] ",
        );
        return Promise.resolve(false);
      },
    });
    assert.equal(questions, 1);
    assert.equal(cancelled.message, "Reset cancelled: nothing changed.");
    const done = await resetExercise(wb.path, ex, {
      yes: false,
      ask: () => Promise.resolve(true),
      now: () => new Date("2025-12-31T23:59:58.999Z"),
    });
    assert.equal(done.restored, true);
    assert.equal(
      done.message,
      "Reset 01_add: restored add.ts.\nYour version is kept in .workbook/backups/01_add/20251231-235958/",
    );
  });

  it("resetExercise() puts back a deleted stub without writing a backup", async () => {
    const ex = discoverExercises(wb.path)[0]!;
    writeFileSync(snapshotPath(wb.path, ex.dir, "add.ts"), "// pristine\n");
    rmSync(stub());
    const r = await resetExercise(wb.path, ex, {
      yes: true,
      ask: () => Promise.resolve(false),
      now: () => new Date("2030-01-01T00:00:00Z"),
    });
    assert.equal(r.restored, true);
    assert.equal(r.backup, null);
    assert.equal(r.message, "Reset 01_add: restored add.ts.");
    assert.equal(readFileSync(stub(), "utf8"), "// pristine\n");
    assert.ok(!existsSync(join(wb.path, ".workbook", "backups", "01_add", "20300101-000000")));
  });

  it("resetExercise() refuses, naming where it looked, when no pristine copy exists", async () => {
    const ex = discoverExercises(wb.path).find((e) => e.dir === "02_greet")!;
    const before = readFileSync(join(wb.path, "exercises", "02_greet", "greet.ts"), "utf8");
    await assert.rejects(
      resetExercise(wb.path, ex, { yes: true, ask: () => Promise.resolve(true) }),
      /Cannot reset 02_greet: no pristine copy of greet\.ts \(looked in \.workbook\/pristine\/ and in git\)/,
    );
    assert.equal(readFileSync(join(wb.path, "exercises", "02_greet", "greet.ts"), "utf8"), before);
  });
});

describe("stamp()", () => {
  it("stamp() writes a UTC date as YYYYMMDD-HHMMSS, dropping milliseconds", () => {
    assert.equal(stamp(new Date("2025-03-04T05:06:07.890Z")), "20250304-050607");
    assert.equal(stamp(new Date(0)), "19700101-000000");
  });
});
