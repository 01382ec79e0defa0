import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { snapshotPath } from "../engine/pristine.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { dispatch } from "./mod.ts";
import { resetCommand } from "./reset.ts";
import { capture } from "./testdata/capture.ts";

describe("resetCommand", () => {
  let wb: FixtureDir;
  beforeEach(() => {
    wb = makeWorkbook();
  });
  afterEach(() => wb.cleanup());
  const stub = () => join(wb.path, "exercises", "01_add", "add.ts");
  const run = async (argv: string[]) => {
    const { io, o } = capture();
    return { code: await dispatch(argv, { toolRoot: wb.path, io }), ...o };
  };
  const snapshot = () => {
    const snap = snapshotPath(wb.path, "01_add", "add.ts");
    mkdirSync(dirname(snap), { recursive: true });
    writeFileSync(snap, readFileSync(stub(), "utf8"));
    return readFileSync(stub(), "utf8");
  };

  it("resetCommand --yes restores the pristine stub and says where the learner's version went", async () => {
    assert.equal(resetCommand.usage, "reset ID [--yes]");
    const pristine = snapshot();
    writeFileSync(stub(), "// my attempt\n");
    const r = await run(["reset", "1", "--yes"]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /^Reset 01_add: restored add\.ts\.\nYour version is kept in \.workbook\/backups\/01_add\/\d{8}-\d{6}\/\n$/,
    );
    assert.equal(readFileSync(stub(), "utf8"), pristine);
    const backup = /kept in (\S+)\/\n/.exec(r.out)![1]!;
    assert.equal(readFileSync(join(wb.path, backup, "add.ts"), "utf8"), "// my attempt\n");
  });

  it("resetCommand -y says when there is nothing to reset", async () => {
    snapshot();
    const r = await run(["reset", "add", "-y"]);
    assert.equal(r.code, 0);
    assert.equal(r.out, "01_add is already pristine: nothing to reset.\n");
  });

  it("resetCommand refuses a missing or extra id and an unknown one as usage errors", async () => {
    for (const argv of [["reset"], ["reset", "1", "2"]]) {
      const r = await run(argv);
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.err, /^grade: Usage: grade reset ID \[--yes\]\n/);
    }
    const unknown = await run(["reset", "9", "--yes"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /Unknown exercise "9"/);
  });

  it("resetCommand cannot reset without a pristine copy: exit 3, the stub untouched", async () => {
    writeFileSync(stub(), "// my attempt\n");
    const r = await run(["reset", "1", "--yes"]);
    assert.equal(r.code, 3);
    assert.match(r.err, /^grade: cannot run: Cannot reset 01_add: no pristine copy of add\.ts/);
    assert.equal(readFileSync(stub(), "utf8"), "// my attempt\n");
  });
});
