import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { batchCommand } from "./batch.ts";
import { dispatch } from "./mod.ts";
import { capture } from "./testdata/capture.ts";

describe("batchCommand", () => {
  let wb: FixtureDir;
  let dir: string;
  beforeEach(() => {
    wb = makeWorkbook();
    dir = mkdtempSync(join(tmpdir(), "grader-cmd-batch-"));
  });
  afterEach(() => {
    wb.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = async (argv: string[]) => {
    const { io, o } = capture();
    return { code: await dispatch(argv, { toolRoot: wb.path, io }), ...o };
  };

  it("batchCommand needs exactly one DIR, and says how to call it", async () => {
    for (const argv of [["batch"], ["batch", "a", "b"]]) {
      const r = await run(argv);
      assert.equal(r.code, 2, argv.join(" "));
      assert.equal(
        r.err,
        `grade: Usage: grade ${batchCommand.usage}\nRun "grade --help" for usage.\n`,
      );
    }
    assert.match(batchCommand.usage, /^batch DIR \[--hidden-dir WORKBOOK\] \[--out BOOK\.csv\]/);
  });

  it("batchCommand refuses options of other commands and a --hidden-dir without exercises", async () => {
    const format = await run(["batch", dir, "--format", "json"]);
    assert.equal(format.code, 2);
    assert.match(format.err, /Option --format does not apply to "batch"/);
    const hidden = await run(["batch", dir, "--hidden-dir", dir, "--unsafe-no-sandbox"]);
    assert.equal(hidden.code, 2);
    assert.match(hidden.err, /Invalid value for --hidden-dir: ".*" has no exercises\/ folder/);
  });

  it("batchCommand cannot grade a DIR that is not a folder: exit 3, no gradebook", async () => {
    const file = join(dir, "subs.txt");
    writeFileSync(file, "");
    const out = join(dir, "book.csv");
    const r = await run(["batch", file, "--out", out, "--unsafe-no-sandbox"]);
    assert.equal(r.code, 3);
    assert.match(r.err, /^grade: cannot run: Cannot batch-grade ".*subs\.txt": not a folder\n$/);
    assert.ok(!existsSync(out));
  });
});
