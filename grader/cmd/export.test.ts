import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { exportCommand } from "./export.ts";
import { dispatch } from "./mod.ts";
import { capture } from "./testdata/capture.ts";

describe("exportCommand", () => {
  let wb: FixtureDir;
  let dir: string;
  beforeEach(() => {
    wb = makeWorkbook();
    dir = mkdtempSync(join(tmpdir(), "grader-cmd-export-"));
  });
  afterEach(() => {
    wb.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = async (argv: string[]) => {
    const { io, o } = capture();
    return { code: await dispatch(argv, { toolRoot: wb.path, io }), ...o };
  };

  it("exportCommand needs exactly one of --student and --gradescope, and no arguments", async () => {
    assert.equal(exportCommand.name, "export");
    const usage =
      /^grade: Usage: grade export --student DIR {3}or {3}grade export --gradescope FILE\.zip\n/;
    for (
      const argv of [
        ["export"],
        ["export", "--student", join(dir, "s"), "--gradescope", join(dir, "g.zip")],
        ["export", "extra", "--student", join(dir, "s")],
      ]
    ) {
      const r = await run(argv);
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.err, usage);
    }
    assert.ok(!existsSync(join(dir, "s")));
  });

  it("exportCommand --student writes a student copy: stubs and snapshot, no solutions or hidden tests", async () => {
    const target = join(dir, "student");
    const r = await run(["export", "--student", target]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`^Wrote a student copy to ${target}: 3 exercises, \\d+ files`));
    assert.match(r.out, new RegExp(`\nTry it: cd ${target} && npm install && npm test\n$`));
    assert.ok(existsSync(join(target, "exercises", "01_add", "add.ts")));
    assert.ok(existsSync(join(target, "exercises", "01_add", "add.test.ts")));
    assert.ok(existsSync(join(target, ".workbook", "pristine", "exercises", "01_add", "add.ts")));
    assert.ok(!existsSync(join(target, "exercises", "01_add", "add.hidden.ts")));
    assert.ok(!existsSync(join(target, "solutions")));
  });

  it("exportCommand --student refuses a folder that is not empty: exit 3, nothing written", async () => {
    const target = join(dir, "full");
    mkdirSync(target);
    writeFileSync(join(target, "keep.txt"), "mine");
    const r = await run(["export", "--student", target]);
    assert.equal(r.code, 3);
    assert.match(
      r.err,
      /^grade: cannot run: Cannot write a student copy into ".*full": the folder is not empty/,
    );
    assert.ok(!existsSync(join(target, "exercises")));
  });

  it("exportCommand --gradescope wants a .zip name, and the bundle's templates", async () => {
    const bad = await run(["export", "--gradescope", join(dir, "bundle.tar")]);
    assert.equal(bad.code, 2);
    assert.match(
      bad.err,
      /^grade: Invalid value for --gradescope: ".*bundle\.tar" \(expected a \.zip file name\)\n/,
    );
    const noTemplates = await run(["export", "--gradescope", join(dir, "bundle.zip")]);
    assert.equal(noTemplates.code, 3);
    assert.match(noTemplates.err, /Cannot build the Gradescope bundle: .*setup\.sh is missing/);
  });

  it("exportCommand --gradescope writes a zip with the scripts and the hidden tests, no solutions", async () => {
    cpSync(join(TOOL_ROOT, "grader", "templates"), join(wb.path, "grader", "templates"), {
      recursive: true,
    });
    const zip = join(dir, "bundle.zip");
    const r = await run(["export", "--gradescope", zip]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      new RegExp(`^Wrote the Gradescope autograder ${zip}: \\d+ files, \\d+ KiB`),
    );
    const names = Object.keys(unzipSync(readFileSync(zip)));
    for (
      const f of [
        "setup.sh",
        "run_autograder",
        "exercises/01_add/add.hidden.ts",
        "exercises/01_add/add.ts",
      ]
    ) {
      assert.ok(names.includes(f), f);
    }
    assert.ok(!names.some((n) => n.startsWith("solutions/")), "no solutions");
  });
});
