import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { collectCommand } from "./collect.ts";
import { dispatch } from "./mod.ts";
import { capture } from "./testdata/capture.ts";

describe("collectCommand", () => {
  let wb: FixtureDir;
  let dir: string;
  beforeEach(() => {
    wb = makeWorkbook();
    dir = mkdtempSync(join(tmpdir(), "grader-cmd-collect-"));
  });
  afterEach(() => {
    wb.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = async (argv: string[]) => {
    const { io, o } = capture();
    return { code: await dispatch(argv, { toolRoot: wb.path, io }), ...o };
  };

  it("collectCommand copies the submission's stubs into the working copy and names the missing ones", async () => {
    assert.equal(collectCommand.usage, "collect SUBMISSION_DIR WORK_DIR");
    const sub = join(dir, "sub");
    mkdirSync(join(sub, "02_greet"), { recursive: true });
    writeFileSync(join(sub, "02_greet", "greet.ts"), "// student greet\n");
    const work = join(dir, "work", "nested");
    const r = await run(["collect", sub, work]);
    assert.equal(r.code, 0, r.err);
    assert.equal(
      r.out,
      `collected 1 stub file(s) from ${sub}; not in the submission (graded as pristine stubs): 01_add/add.ts, 03_clock/later.ts\n`,
    );
    assert.equal(
      readFileSync(join(work, "exercises", "02_greet", "greet.ts"), "utf8"),
      "// student greet\n",
    );
    assert.equal(
      readFileSync(join(work, "exercises", "01_add", "add.ts"), "utf8"),
      readFileSync(join(wb.path, "exercises", "01_add", "add.ts"), "utf8"),
    );
  });

  it("collectCommand names the files it refused", async () => {
    const sub = join(dir, "sub");
    for (const d of ["a", "b"]) {
      mkdirSync(join(sub, d), { recursive: true });
      writeFileSync(join(sub, d, "add.ts"), "// which one?\n");
    }
    const r = await run(["collect", sub, join(dir, "work")]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^collected 0 stub file\(s\) from /);
    assert.match(
      r.out,
      /; refused: add\.ts: found 2 files of that name; put it in exercises\/01_add\/\n$/,
    );
  });

  it("collectCommand needs exactly the two folders", async () => {
    for (const argv of [["collect"], ["collect", "a"], ["collect", "a", "b", "c"]]) {
      const r = await run(argv);
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.err, /^grade: Usage: grade collect SUBMISSION_DIR WORK_DIR\n/);
    }
  });
});
