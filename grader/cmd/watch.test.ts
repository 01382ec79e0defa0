import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { dispatch } from "./mod.ts";
import { watchCommand } from "./watch.ts";
import { capture } from "./testdata/capture.ts";

describe("watchCommand", () => {
  let wb: FixtureDir;
  beforeEach(() => {
    wb = makeWorkbook();
  });
  afterEach(() => wb.cleanup());
  const run = async (argv: string[], toolRoot = wb.path) => {
    const { io, o } = capture();
    return { code: await dispatch(argv, { toolRoot, io }), ...o };
  };

  it("watchCommand takes at most one id, also spelled grade --watch", async () => {
    assert.match(watchCommand.usage, /^watch \[ID\] \[--poll\]/);
    for (const argv of [["watch", "1", "2"], ["--watch", "1", "2"]]) {
      const r = await run(argv);
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.err, /^grade: Usage: grade watch \[ID\] \[--poll\]\n/);
    }
  });

  it("watchCommand refuses options of other commands", async () => {
    const r = await run(["watch", "--format", "json"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /Option --format does not apply to "watch"/);
  });

  it("watchCommand cannot watch a workbook without exercises: exit 3", async () => {
    const root = mkdtempSync(join(tmpdir(), "grader-cmd-watch-"));
    try {
      const r = await run(["watch", "--poll"], root);
      assert.equal(r.code, 3);
      assert.equal(r.err, `grade: cannot run: No exercises in ${root}/exercises\n`);
      assert.equal(r.out, "");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("watchCommand refuses an unknown id as a usage error, exit 2, like every other command", async () => {
    const r = await run(["watch", "9"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /^grade: Unknown exercise "9": valid: 01_add, 02_greet, 03_clock\n/);
  });
});
